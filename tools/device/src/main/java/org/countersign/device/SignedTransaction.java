package org.countersign.device;

import java.time.Instant;
import java.util.List;
import org.countersign.protocol.TransactionField;

/**
 * What the device showed for a signing request: the decrypted message and fields (exactly what
 * {@code dataHash} covers), the challenge, and the response {@code R} to type into the
 * application. {@link #toString()} leaves the response out.
 *
 * @param profile the profile that signed
 * @param iid the instance id the request was for (the profile's)
 * @param cid the challenge id
 * @param message the message, as decrypted
 * @param fields the fields, in order, as decrypted
 * @param expiresAt when the server stops accepting the response
 * @param dataHash protocol.md's {@code dataHash} over the message and fields
 * @param response {@code R}, 8 digits
 */
public record SignedTransaction(String profile, String iid, String cid, String message, List<TransactionField> fields,
                                Instant expiresAt, String dataHash, String response) {

    public SignedTransaction {
        fields = List.copyOf(fields);
    }

    /** Whether the server will already refuse the response at {@code now}. */
    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "SignedTransaction[profile=" + profile + ", iid=" + iid + ", cid=" + cid + ", fields=" + fields.size()
                + ", expiresAt=" + expiresAt + ", dataHash=" + dataHash + ", response=(hidden)]";
    }
}
