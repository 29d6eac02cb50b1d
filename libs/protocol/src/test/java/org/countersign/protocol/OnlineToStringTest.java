package org.countersign.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.countersign.protocol.internal.Base64Url;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/**
 * No toString and no exception message of the online types prints a secret: the activation
 * password, the instance secret, an OTP key, a device private key, in hex, base32 or base64url.
 */
class OnlineToStringTest {

    private static void assertHides(Object holder, byte[] secret) {
        String text = String.valueOf(holder);
        String lower = text.toLowerCase(Locale.ROOT);
        for (String form : List.of(HexFormat.of().formatHex(secret), Base32.encode(secret), Base64Url.encode(secret))) {
            String probe = form.substring(0, Math.min(form.length(), 16));
            assertFalse(text.contains(probe) || lower.contains(probe.toLowerCase(Locale.ROOT)),
                    holder.getClass().getSimpleName() + " prints a secret: " + text);
        }
    }

    @Test
    void everyOnlineType_hidesItsSecrets() {
        Secret ap = Secret.random(20);
        byte[] apBytes = ap.reveal();
        KeyPair device = P256.generateKeyPair();
        byte[] privateScalar = ((ECPrivateKey) device.getPrivate()).getS().toByteArray();
        Secret is = Secret.random(32);
        byte[] isBytes = is.reveal();

        EnrolmentMessage enrolment = ProtocolUris.parseEnrolment(ProtocolUris.enrolment("https://cs.example.com", "reg-1", "SN-1", ap,
                "Bank", "alice", null));
        EnrolmentRequest request = EnrolmentRequest.create(enrolment, device);
        VerifiedEnrolment verified = EnrolmentRequest.verify(ap, "reg-1", "SN-1", request.csrBase64url(), request.proof());
        SealedInstanceSecret sealed = SealedInstanceSecret.seal(verified, "inst-1", OtpPolicy.DEFAULT, is);
        String token = DeviceToken.sign(device.getPrivate(), "inst-1", DeviceToken.PUSH_AUDIENCE, 1_800_000_000L, 1_800_000_060L,
                DeviceToken.newJti());
        DeviceToken verifiedToken = DeviceToken.verify(token, verified.devicePublicKey(), DeviceToken.PUSH_AUDIENCE,
                java.time.Instant.ofEpochSecond(1_800_000_000L));
        Secret otpKey = Secret.random(20);
        OtpAuthUri otpauth = OtpAuthUri.parse(OtpAuthUri.write("Bank", "alice", otpKey, OtpPolicy.DEFAULT));

        for (Object holder : List.of(enrolment, request, verified, sealed, verifiedToken, ap, is)) {
            assertHides(holder, apBytes);
            assertHides(holder, isBytes);
            assertHides(holder, privateScalar);
        }
        assertHides(otpauth, otpKey.reveal());
        assertHides(otpauth.secret(), otpKey.reveal());
        for (InvalidEnrolmentException.Reason reason : InvalidEnrolmentException.Reason.values()) {
            assertHides(new InvalidEnrolmentException(reason).getMessage(), apBytes);
        }
    }
}
