package org.countersign.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/** Device and server sides against each other, and every way activation message 2 can be wrong. */
class OfflineActivationTest {

    private static final List<OtpPolicy> POLICIES = List.of(OtpPolicy.DEFAULT, OtpPolicy.parse("hotp:sha256:8"),
            OtpPolicy.parse("totp:sha512:7:60"));

    @Test
    void roundTrip_manyRandomActivations_deviceAndServerAgree() {
        for (int i = 0; i < 300; i++) {
            Secret ap = Secret.random(20);
            String rid = "reg-" + i;
            String sn = "SN" + i;
            String iid = "inst-" + Integer.toHexString(i * 7919);
            OtpPolicy otp = POLICIES.get(i % POLICIES.size());
            ActivationMessage1 am1 = ProtocolUris.parseActivationMessage1(ProtocolUris.activationMessage1(sn, rid, ap, "Bank " + i, null));
            DeviceCode shown = DeviceCode.random();
            DeviceCode typed = DeviceCode.parse(shown.display());
            assertTrue(typed.sameAs(shown));
            Secret is = Secret.random(32);
            String uri = ActivationMessage2.seal(ap, typed, rid, iid, sn, otp, is).toUri();
            Secret received = ProtocolUris.parseActivationMessage2(uri).open(am1, shown);
            assertTrue(received.sameAs(is));
            String sig = ActivationSignature.compute(InstanceKeys.of(received), rid, iid, shown);
            ActivationSignature.verify(InstanceKeys.of(is), rid, iid, typed, sig);
        }
    }

    @Test
    void open_anyWrongInput_refusedWithItsReason() {
        Secret ap = Secret.random(20);
        DeviceCode dc = DeviceCode.random();
        ActivationMessage1 am1 = ActivationMessage1.of("SN1", "reg-1", ap, null, null);
        ActivationMessage2 am2 = ActivationMessage2.seal(ap, dc, "reg-1", "inst-1", "SN1", OtpPolicy.DEFAULT, Secret.random(32));

        assertReason(ActivationImageException.Reason.OTHER_ACTIVATION,
                () -> am2.open(ActivationMessage1.of("SN1", "reg-2", ap, null, null), dc));
        assertReason(ActivationImageException.Reason.OTHER_ACTIVATION,
                () -> am2.open(ActivationMessage1.of("SN2", "reg-1", ap, null, null), dc));
        assertReason(ActivationImageException.Reason.DOES_NOT_DECRYPT,
                () -> am2.open(ActivationMessage1.of("SN1", "reg-1", Secret.random(20), null, null), dc));
        assertReason(ActivationImageException.Reason.DOES_NOT_DECRYPT, () -> am2.open(am1, DeviceCode.random()));
        byte[] c = am2.ciphertext();
        for (int bit = 0; bit < c.length * 8; bit += 7) {
            byte[] tampered = c.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            ActivationMessage2 bad = ActivationMessage2.of("reg-1", "inst-1", "SN1", OtpPolicy.DEFAULT, am2.nonce(), tampered);
            assertReason(ActivationImageException.Reason.DOES_NOT_DECRYPT, () -> bad.open(am1, dc));
        }
        // iid and otp are bound by K_act and the AAD even though the device cannot compare them.
        ActivationMessage2 otherIid = ActivationMessage2.of("reg-1", "inst-2", "SN1", OtpPolicy.DEFAULT, am2.nonce(), c);
        assertReason(ActivationImageException.Reason.DOES_NOT_DECRYPT, () -> otherIid.open(am1, dc));
        ActivationMessage2 otherOtp = ActivationMessage2.of("reg-1", "inst-1", "SN1", OtpPolicy.parse("totp:sha1:6:60"), am2.nonce(), c);
        assertReason(ActivationImageException.Reason.DOES_NOT_DECRYPT, () -> otherOtp.open(am1, dc));
        assertTrue(am2.open(am1, dc).length() == 32);
    }

    @Test
    void verifySignature_wrongOrMalformed_refusedAlike() {
        InstanceKeys keys = InstanceKeys.of(Secret.random(32));
        DeviceCode dc = DeviceCode.random();
        String sig = ActivationSignature.compute(keys, "reg-1", "inst-1", dc);
        assertEquals(8, sig.length());
        String wrong = sig.substring(0, 7) + (char) ('0' + (sig.charAt(7) - '0' + 1) % 10);
        for (String typed : new String[] {wrong, sig.substring(1), sig + "0", "", null, "abcdefgh"}) {
            InvalidCodeException e = assertThrows(InvalidCodeException.class,
                    () -> ActivationSignature.verify(keys, "reg-1", "inst-1", dc, typed));
            assertEquals("invalid code", e.getMessage());
        }
        assertThrows(InvalidCodeException.class, () -> ActivationSignature.verify(keys, "reg-1", "inst-2", dc, sig));
        assertThrows(InvalidCodeException.class, () -> ActivationSignature.verify(keys, "reg-1", "inst-1", DeviceCode.random(), sig));
    }

    @Test
    void construction_invalidInputs_refused() {
        Secret ap = Secret.random(20);
        DeviceCode dc = DeviceCode.random();
        assertThrows(IllegalArgumentException.class, () -> ActivationKey.derive(Secret.random(16), dc, "r", "i", "s"));
        assertThrows(IllegalArgumentException.class, () -> ActivationKey.derive(ap, dc, "r|x", "i", "s"));
        assertThrows(IllegalArgumentException.class, () -> ActivationKey.derive(ap, dc, "r", "i".repeat(65), "s"));
        assertThrows(IllegalArgumentException.class, () -> ActivationKey.derive(ap, dc, "r", "i", ""));
        assertThrows(IllegalArgumentException.class,
                () -> ActivationMessage2.seal(ap, dc, "r", "i", "s", OtpPolicy.DEFAULT, Secret.random(31)));
        assertThrows(IllegalArgumentException.class,
                () -> ActivationMessage2.seal(ap, dc, "r", "i", "s", OtpPolicy.DEFAULT, Secret.random(32), new byte[11]));
        assertThrows(IllegalArgumentException.class, () -> InstanceKeys.of(Secret.random(16)));
        assertThrows(IllegalArgumentException.class, () -> DeviceCode.ofDn(new byte[4]));
        assertThrows(IllegalArgumentException.class, () -> ActivationMessage1.of("s n", "r", ap, null, null));
    }

    @Test
    void instanceKeys_allDistinct_andOtpKeyFollowsPolicyLength() {
        InstanceKeys keys = InstanceKeys.of(Secret.random(32));
        assertEquals(20, keys.otp(OtpPolicy.DEFAULT).length());
        assertEquals(32, keys.otp(OtpPolicy.parse("totp:sha256:6:30")).length());
        assertEquals(64, keys.otp(OtpPolicy.parse("hotp:sha512:8")).length());
        assertFalse(keys.proof().sameAs(keys.sign()));
        assertFalse(keys.sign().sameAs(keys.tx()));
        assertFalse(keys.proof().sameAs(keys.tx()));
    }

    @Test
    void toString_ofEveryType_showsNoSecretBytes() {
        byte[] apBytes = HexFormat.of().parseHex("b1fe50e30b5c2d002b596c58523ed466cfa98bef");
        Secret ap = Secret.copyOf(apBytes);
        Secret is = Secret.random(32);
        DeviceCode dc = DeviceCode.ofDn(HexFormat.of().parseHex("3e65a679fb"));
        ActivationMessage1 am1 = ActivationMessage1.of("SN1", "reg-1", ap, "Bank", "alice");
        ActivationMessage2 am2 = ActivationMessage2.seal(ap, dc, "reg-1", "inst-1", "SN1", OtpPolicy.DEFAULT, is);
        InstanceKeys keys = InstanceKeys.of(is);
        String text = String.join("\n", am1.toString(), am2.toString(), dc.toString(), keys.toString(),
                new MalformedDeviceCodeException(MalformedDeviceCodeException.Reason.CHECK_DIGIT).toString());
        List<String> forbidden = List.of(Base32.encode(apBytes), HexFormat.of().formatHex(apBytes), dc.digits(),
                dc.display(), "3e65a679fb", HexFormat.of().formatHex(is.reveal()),
                HexFormat.of().formatHex(keys.proof().reveal()), HexFormat.of().formatHex(am2.ciphertext()));
        for (String secret : forbidden) {
            assertFalse(text.contains(secret), "toString shows " + secret);
        }
        assertTrue(text.contains("reg-1"));
    }

    @Test
    void deviceCode_randomCodes_displayAndParseBack() {
        for (int i = 0; i < 1000; i++) {
            DeviceCode dc = DeviceCode.random();
            String display = dc.display();
            assertTrue(display.matches("\\d{4} \\d{4} \\d{4} \\d{2}"), display);
            assertEquals(dc.digits(), display.replace(" ", ""));
            assertArrayEquals(dc.dn(), DeviceCode.parse(display).dn());
            assertArrayEquals(dc.dn(), DeviceCode.parse(dc.digits()).dn());
        }
    }

    @Test
    void deviceCode_everyMalformedForm_refusedWithItsReason() {
        String good = DeviceCode.ofDn(new byte[] {1, 2, 3, 4, 5}).digits();
        expectRefused(MalformedDeviceCodeException.Reason.NOT_DIGITS, good.substring(0, 13) + "x", "\t" + good,
                good + "\n", "\u2003" + good, "-" + good, "\u0661" + good.substring(1), good.substring(0, 13) + "\uff11");
        expectRefused(MalformedDeviceCodeException.Reason.WRONG_LENGTH, null, "", " ", good.substring(1), good + "5");
        for (int d = 1; d <= 9; d++) {
            expectRefused(MalformedDeviceCodeException.Reason.CHECK_DIGIT,
                    good.substring(0, 13) + (char) ('0' + (good.charAt(13) - '0' + d) % 10));
        }
        expectRefused(MalformedDeviceCodeException.Reason.OUT_OF_RANGE, "10995116277764", "99999999999993");
        assertArrayEquals(new byte[] {-1, -1, -1, -1, -1}, DeviceCode.parse("1099 5116 2777 56").dn());
    }

    private static void expectRefused(MalformedDeviceCodeException.Reason reason, String... typed) {
        for (String t : typed) {
            MalformedDeviceCodeException e = assertThrows(MalformedDeviceCodeException.class, () -> DeviceCode.parse(t), String.valueOf(t));
            assertEquals(reason, e.reason(), String.valueOf(t));
        }
    }

    private static void assertReason(ActivationImageException.Reason reason, org.junit.jupiter.api.function.Executable call) {
        assertEquals(reason, assertThrows(ActivationImageException.class, call).reason());
    }
}
