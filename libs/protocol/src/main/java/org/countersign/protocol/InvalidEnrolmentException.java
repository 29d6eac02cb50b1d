package org.countersign.protocol;

/**
 * Server side: an online activation request ({@code csr} and {@code proof}) fails one of the checks
 * of protocol.md, "Online activation", step 3. The checks run in this order and the first failure
 * wins, so each request has exactly one {@link #reason()}, which a server maps to its own problem
 * type. The message names the rule, never the request's content.
 */
public final class InvalidEnrolmentException extends RuntimeException {

    /** In the order the checks run. */
    public enum Reason {
        /**
         * {@code csr} is not strict base64url; there is no DER to compute the proof from. A typo
         * or a broken client, not a guess at {@code AP}.
         */
        MALFORMED_CSR_ENCODING("csr is not strict base64url"),
        /** {@code proof} is not the HMAC under {@code AP} of the CSR that was sent (compared in constant time). */
        PROOF("the proof does not match"),
        /**
         * The CSR is not exactly one DER PKCS#10 request (version 0, with its attributes field)
         * whose public key can be read: BER, trailing bytes, a wrong structure, more than
         * {@link EnrolmentRequest#MAX_CSR_LENGTH} bytes.
         */
        MALFORMED_CSR("the CSR is not a DER PKCS#10 request"),
        /**
         * The CSR's own signature is not a canonical DER SHA256withECDSA signature (ecdsa-with-SHA256,
         * no parameters) that verifies under the CSR's key. A request signed otherwise, including
         * any RSA request, fails here.
         */
        SIGNATURE("the CSR's signature does not verify"),
        /** The key is not EC on the named curve P-256 with an uncompressed point (explicit parameters, other curves refused). */
        KEY_NOT_P256("the CSR's key is not a P-256 key"),
        /** The subject is not exactly one RDN holding one attribute, {@code CN=<sn>}. */
        SUBJECT("the CSR's subject is not CN=<sn>");

        private final String message;

        Reason(String message) {
            this.message = message;
        }
    }

    private final Reason reason;

    public InvalidEnrolmentException(Reason reason) {
        super(reason.message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
