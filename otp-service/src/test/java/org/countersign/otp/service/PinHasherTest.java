package org.countersign.otp.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.countersign.otp.domain.Argon2Parameters;
import org.countersign.otp.domain.PinHash;
import org.junit.jupiter.api.Test;

/** Our Argon2id (BouncyCastle behind PinHasher) against vectors of the reference implementation. */
class PinHasherTest {

    @Test
    void derive_referenceVectors_allMatch() throws Exception {
        JsonNode vectors;
        try (InputStream in = getClass().getResourceAsStream("/vectors/argon2/argon2id.json")) {
            vectors = new ObjectMapper().readTree(in).path("vectors");
        }
        List<String> failures = new ArrayList<>();
        for (JsonNode v : vectors) {
            Argon2Parameters parameters = new Argon2Parameters(v.path("memoryKib").asInt(), v.path("iterations").asInt(),
                    v.path("parallelism").asInt());
            byte[] tag = PinHasher.derive(parameters, HexFormat.of().parseHex(v.path("saltHex").asText()),
                    v.path("password").asText(), 32);
            if (!HexFormat.of().formatHex(tag).equals(v.path("tagHex").asText())) {
                failures.add(v.path("comment").asText());
            }
        }
        assertEquals(4, vectors.size());
        assertTrue(failures.isEmpty(), "vectors that failed: " + failures);
    }

    @Test
    void pinHash_oneFlippedBitOrOtherLength_doesNotMatch() {
        byte[] hash = HexFormat.of().parseHex("fd2f78617f352bccb028644658898796b04bbedaa07d06ee028bbf0fef35f068");
        PinHash pin = PinHash.of(new Argon2Parameters(19456, 2, 1), new byte[16], hash);
        assertTrue(pin.matches(hash.clone()));
        byte[] flipped = hash.clone();
        flipped[31] ^= 1;
        assertFalse(pin.matches(flipped));
        assertFalse(pin.matches(java.util.Arrays.copyOf(hash, 31)));
    }

    @Test
    void pinHash_inputAndOutputCopied_toStringShowsParametersOnly() {
        byte[] hash = new byte[32];
        byte[] salt = new byte[16];
        hash[0] = 7;
        PinHash pin = PinHash.of(new Argon2Parameters(19456, 2, 1), salt, hash);
        hash[0] = 8;
        salt[0] = 8;
        assertEquals(7, pin.hash()[0]);
        assertEquals(0, pin.salt()[0]);
        pin.hash()[0] = 9;
        assertEquals(7, pin.hash()[0]);
        assertNotSame(pin.hash(), pin.hash());
        assertEquals("PinHash[argon2id m=19456 t=2 p=1]", pin.toString());
    }

    @Test
    void build_invalid_fails() {
        assertThrows(IllegalArgumentException.class, () -> new Argon2Parameters(7, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new Argon2Parameters(19456, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Argon2Parameters(19456, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new Argon2Parameters(8, 2, 2));
        assertThrows(IllegalArgumentException.class,
                () -> PinHash.of(new Argon2Parameters(19456, 2, 1), new byte[15], new byte[32]));
        assertThrows(IllegalArgumentException.class,
                () -> PinHash.of(new Argon2Parameters(19456, 2, 1), new byte[16], new byte[8]));
    }

    @Test
    void split_pinAndOtp_byTheCredentialsDigits() {
        assertEquals("2468", VerificationService.pinPart("2468755224", 6));
        assertEquals("755224", VerificationService.otpPart("2468755224", 6));
        assertEquals("24", VerificationService.pinPart("2468755224", 8));
        assertEquals("68755224", VerificationService.otpPart("2468755224", 8));
        assertEquals("", VerificationService.pinPart("755224", 6));
        assertEquals("755224", VerificationService.otpPart("755224", 6));
        assertEquals("", VerificationService.pinPart("75522", 6));
    }
}
