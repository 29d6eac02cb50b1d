package org.countersign.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import org.countersign.protocol.internal.Base64Url;
import org.junit.jupiter.api.Test;

/** The signature on a push answer: every field is covered, and nothing but a valid signature passes. */
class PushResponseSignatureTest {

    private static final KeyPair DEVICE = P256.generateKeyPair();
    private static final ECPublicKey KEY = (ECPublicKey) DEVICE.getPublic();
    private static final String REQUEST = "9b2f6a4e-3c1d-4e5f-8a7b-6c5d4e3f2a1b";
    private static final String CHALLENGE = PushResponseSignature.newChallenge();
    private static final String DATA_HASH = new TransactionData("Log in", List.of(new TransactionField("Browser", "Firefox"))).dataHash();
    private static final String IID = "inst-1";

    private static void refused(String requestId, String challenge, String dataHash, PushDecision decision, Integer number, String iid,
                                String signature) {
        assertThrows(InvalidSignatureException.class,
                () -> PushResponseSignature.verify(KEY, requestId, challenge, dataHash, decision, number, iid, signature));
    }

    @Test
    void signedText_isProtocolMdsJoinedString() {
        assertEquals("countersign/v1/push|" + REQUEST + "|" + CHALLENGE + "|" + DATA_HASH + "|approve|7|" + IID,
                new String(PushResponseSignature.message(REQUEST, CHALLENGE, DATA_HASH, PushDecision.APPROVE, 7, IID), StandardCharsets.UTF_8));
        assertEquals("countersign/v1/push|" + REQUEST + "|" + CHALLENGE + "|" + DATA_HASH + "|deny||" + IID,
                new String(PushResponseSignature.message(REQUEST, CHALLENGE, DATA_HASH, PushDecision.DENY, null, IID), StandardCharsets.UTF_8));
        assertEquals(32, Base64Url.decode(CHALLENGE).length);
    }

    @Test
    void verify_anyFieldChanged_refused() {
        String signature = PushResponseSignature.sign(DEVICE.getPrivate(), REQUEST, CHALLENGE, DATA_HASH, PushDecision.APPROVE, 7, IID);
        PushResponseSignature.verify(KEY, REQUEST, CHALLENGE, DATA_HASH, PushDecision.APPROVE, 7, IID, signature);
        refused("req-2", CHALLENGE, DATA_HASH, PushDecision.APPROVE, 7, IID, signature);
        refused(REQUEST, PushResponseSignature.newChallenge(), DATA_HASH, PushDecision.APPROVE, 7, IID, signature);
        refused(REQUEST, CHALLENGE, TransactionData.of("Log in").dataHash(), PushDecision.APPROVE, 7, IID, signature);
        refused(REQUEST, CHALLENGE, DATA_HASH, PushDecision.DENY, 7, IID, signature);
        refused(REQUEST, CHALLENGE, DATA_HASH, PushDecision.APPROVE, 8, IID, signature);
        refused(REQUEST, CHALLENGE, DATA_HASH, PushDecision.APPROVE, null, IID, signature);
        refused(REQUEST, CHALLENGE, DATA_HASH, PushDecision.APPROVE, 7, "inst-2", signature);
        refused(REQUEST, CHALLENGE, DATA_HASH, PushDecision.APPROVE, 7, IID,
                PushResponseSignature.sign(P256.generateKeyPair().getPrivate(), REQUEST, CHALLENGE, DATA_HASH, PushDecision.APPROVE, 7, IID));
        refused(REQUEST, CHALLENGE, DATA_HASH, PushDecision.APPROVE, 7, IID, signature + "AA");
        refused(REQUEST, CHALLENGE, DATA_HASH, PushDecision.APPROVE, 7, IID, null);
        // Fields that cannot have been signed are refused as a bad signature, not as a crash.
        refused("req|2", CHALLENGE, DATA_HASH, PushDecision.APPROVE, 7, IID, signature);
        refused(REQUEST, CHALLENGE + "=", DATA_HASH, PushDecision.APPROVE, 7, IID, signature);
        refused(REQUEST, CHALLENGE, DATA_HASH, PushDecision.APPROVE, -7, IID, signature);
        refused(REQUEST, CHALLENGE, DATA_HASH, null, 7, IID, signature);
    }

    @Test
    void sign_fieldsOfTheWrongForm_refused() {
        assertThrows(IllegalArgumentException.class,
                () -> PushResponseSignature.sign(DEVICE.getPrivate(), REQUEST, "short", DATA_HASH, PushDecision.APPROVE, null, IID));
        assertThrows(IllegalArgumentException.class,
                () -> PushResponseSignature.sign(DEVICE.getPrivate(), REQUEST, CHALLENGE, "x", PushDecision.APPROVE, null, IID));
        assertThrows(IllegalArgumentException.class,
                () -> PushResponseSignature.sign(DEVICE.getPrivate(), "", CHALLENGE, DATA_HASH, PushDecision.APPROVE, null, IID));
        assertThrows(IllegalArgumentException.class,
                () -> PushResponseSignature.sign(Csrs.p384().getPrivate(), REQUEST, CHALLENGE, DATA_HASH, PushDecision.APPROVE, null, IID));
    }

    @Test
    void decision_wireForm_exact() {
        assertEquals(PushDecision.APPROVE, PushDecision.fromWire("approve"));
        assertEquals(PushDecision.DENY, PushDecision.fromWire("deny"));
        assertThrows(IllegalArgumentException.class, () -> PushDecision.fromWire("Approve"));
        assertThrows(IllegalArgumentException.class, () -> PushDecision.fromWire(null));
    }
}
