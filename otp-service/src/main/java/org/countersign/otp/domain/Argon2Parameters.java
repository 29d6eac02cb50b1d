package org.countersign.otp.domain;

/**
 * The cost of an Argon2id hash (RFC 9106). Not secret: each PIN hash is stored with the parameters it
 * was made with, so that new hashes can cost more while old ones still verify.
 *
 * @param memoryKib memory in KiB, at least 8 per lane
 * @param iterations passes over the memory
 * @param parallelism lanes
 */
public record Argon2Parameters(int memoryKib, int iterations, int parallelism) {

    public Argon2Parameters {
        if (parallelism < 1 || parallelism > 16 || iterations < 1 || memoryKib < 8 * parallelism) {
            throw new IllegalArgumentException("Argon2id needs 1-16 lanes, at least one pass and 8 KiB per lane");
        }
    }
}
