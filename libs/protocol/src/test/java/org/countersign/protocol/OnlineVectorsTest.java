package org.countersign.protocol;

import static org.countersign.protocol.KnownAnswers.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.countersign.protocol.internal.Base64Url;
import org.countersign.protocol.internal.Ecdsa;
import org.countersign.protocol.internal.P256Curve;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/**
 * The frozen vectors of docs/protocol-vectors (online-activation.json, device-jwt.json,
 * push-signature.json, otpauth.json), checked from both sides. A change that alters any output
 * fails here; the fix is the code, never the files. ECDSA signatures are randomized, so the frozen
 * ones are verified, and fresh ones are checked to verify too.
 */
class OnlineVectorsTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void onlineActivation_serverSide_checksTheFrozenCsrAndSealsAsFrozen() {
        KnownAnswers vectors = KnownAnswers.load("countersign/online-activation.json");
        vectors.each(v -> {
            JsonNode in = v.path("input");
            JsonNode out = v.path("output");
            Secret ap = Secret.copyOf(HEX.parseHex(in.path("ap").asText()));
            String rid = in.path("rid").asText();
            String iid = in.path("iid").asText();
            String sn = in.path("sn").asText();
            OtpPolicy otp = OtpPolicy.parse(in.path("otp").asText());
            boolean migrate = in.path("migrate").asBoolean();
            expect("enrolment URI", out.path("enrolmentUri").asText(), ProtocolUris.enrolment(in.path("url").asText(), rid, sn, ap,
                    in.path("iss").asText(null), in.path("acct").asText(null), migrate ? iid : null));
            expect("csr base64url", out.path("csrBase64url").asText(), Base64Url.encode(HEX.parseHex(out.path("csr").asText())));
            VerifiedEnrolment verified = EnrolmentRequest.verify(ap, rid, sn, out.path("csrBase64url").asText(), out.path("proof").asText());
            expect("h", out.path("h").asText(), verified.h());
            expect("device key", out.path("devicePublicKey").asText(), HEX.formatHex(P256.encodePoint(verified.devicePublicKey())));
            expect("device key SPKI", out.path("devicePublicKeySpki").asText(), HEX.formatHex(P256.encodeSpki(verified.devicePublicKey())));
            if (!migrate) {
                KeyPair ephemeral = P256Curve.keyPair(new BigInteger(1, HEX.parseHex(in.path("ephemeralKey").asText())));
                Secret is = Secret.copyOf(HEX.parseHex(in.path("is").asText()));
                SealedInstanceSecret sealed = SealedInstanceSecret.seal(verified, iid, otp, is, ephemeral,
                        HEX.parseHex(in.path("nonce").asText()));
                expect("epk", out.path("epkBase64url").asText(), sealed.epk());
                expect("epk hex", out.path("epk").asText(), HEX.formatHex(Base64Url.decode(sealed.epk())));
                expect("Z", out.path("z").asText(), HEX.formatHex(
                        SealedInstanceSecret.sharedSecret(ephemeral.getPrivate(), verified.devicePublicKey()).reveal()));
                expect("K", out.path("k").asText(), HEX.formatHex(SealedInstanceSecret.key(ephemeral.getPrivate(),
                        verified.devicePublicKey(), verified.csr(), rid, iid).reveal()));
                expect("aad", out.path("aad").asText(), new String(SealedInstanceSecret.aad(rid, iid, otp), StandardCharsets.UTF_8));
                expect("n", out.path("n").asText(), sealed.n());
                expect("c", out.path("cBase64url").asText(), sealed.c());
                expect("c hex", out.path("c").asText(), HEX.formatHex(Base64Url.decode(sealed.c())));
            }
            InstanceKeys keys = InstanceKeys.of(Secret.copyOf(HEX.parseHex(in.path("is").asText())));
            expect("K_proof", out.path("kProof").asText(), HEX.formatHex(keys.proof().reveal()));
            OnlineConfirmation.verifyCode(keys, rid, iid, verified.h(), out.path("code").asText());
            OnlineConfirmation.verifySignature(verified.devicePublicKey(), rid, iid, out.path("code").asText(),
                    out.path("confirmSignature").asText());
        }).assertAllPassed();
        assertEquals(4, vectors.count());
    }

    @Test
    void onlineActivation_deviceSide_buildsTheFrozenRequestAndOpensTheSecret() {
        KnownAnswers.load("countersign/online-activation.json").each(v -> {
            JsonNode in = v.path("input");
            JsonNode out = v.path("output");
            EnrolmentMessage enrolment = ProtocolUris.parseEnrolment(out.path("enrolmentUri").asText());
            expect("url", in.path("url").asText(), enrolment.baseUrl());
            expect("ap", in.path("ap").asText(), HEX.formatHex(enrolment.ap().reveal()));
            expect("migration", in.path("migrate").asBoolean(), enrolment.isMigration());
            KeyPair device = P256Curve.keyPair(new BigInteger(1, HEX.parseHex(in.path("deviceKey").asText())));
            expect("device key", out.path("devicePublicKey").asText(), HEX.formatHex(P256.encodePoint((ECPublicKey) device.getPublic())));
            byte[] frozenCsr = HEX.parseHex(out.path("csr").asText());
            // The request a device makes today differs from the frozen one only in its randomized signature.
            EnrolmentRequest fresh = EnrolmentRequest.create(enrolment, device);
            expect("CSR without signature", HEX.formatHex(requestInfo(frozenCsr)), HEX.formatHex(requestInfo(fresh.csr())));
            EnrolmentRequest.verify(enrolment.ap(), enrolment.rid(), enrolment.sn(), fresh.csrBase64url(), fresh.proof());
            EnrolmentRequest frozen = EnrolmentRequest.of(enrolment.ap(), enrolment.rid(), frozenCsr);
            expect("h", out.path("h").asText(), frozen.h());
            expect("proof", out.path("proof").asText(), frozen.proof());
            String iid = in.path("iid").asText();
            OtpPolicy otp = OtpPolicy.parse(in.path("otp").asText());
            Secret is;
            if (enrolment.isMigration()) {
                expect("iid", iid, enrolment.instanceId());
                is = Secret.copyOf(HEX.parseHex(in.path("is").asText()));
            } else {
                is = SealedInstanceSecret.parse(out.path("epkBase64url").asText(), out.path("n").asText(), out.path("cBase64url").asText())
                        .open(device.getPrivate(), frozenCsr, enrolment.rid(), iid, otp);
                expect("IS", in.path("is").asText(), HEX.formatHex(is.reveal()));
                expect("Z from the device's side", out.path("z").asText(), HEX.formatHex(SealedInstanceSecret.sharedSecret(
                        device.getPrivate(), P256.decodePoint(HEX.parseHex(out.path("epk").asText()))).reveal()));
            }
            String code = OnlineConfirmation.code(InstanceKeys.of(is), enrolment.rid(), iid, frozen.h());
            expect("code", out.path("code").asText(), code);
            String signature = OnlineConfirmation.sign(device.getPrivate(), enrolment.rid(), iid, code);
            OnlineConfirmation.verifySignature((ECPublicKey) device.getPublic(), enrolment.rid(), iid, code, signature);
            expect("confirm message", out.path("confirmMessage").asText(),
                    new String(OnlineConfirmation.message(enrolment.rid(), iid, code), StandardCharsets.UTF_8));
        }).assertAllPassed();
    }

    @Test
    void onlineActivation_csrAndEpkRefusals_asFrozen() {
        KnownAnswers.load("countersign/online-activation.json")
                .each("csrRefusals", c -> {
                    String actual;
                    try {
                        EnrolmentRequest.verify(Secret.copyOf(HEX.parseHex(c.path("ap").asText())), c.path("rid").asText(),
                                c.path("sn").asText(), c.path("csrBase64url").asText(), c.path("proof").asText());
                        actual = "accepted";
                    } catch (InvalidEnrolmentException e) {
                        actual = e.reason().name();
                    }
                    expect("outcome", c.path("refused").asText("accepted"), actual);
                })
                .each("epkRefusals", c -> {
                    boolean accepted;
                    try {
                        SealedInstanceSecret.parse(c.path("epkBase64url").asText(), Base64Url.encode(new byte[12]),
                                Base64Url.encode(new byte[48]));
                        accepted = true;
                    } catch (MalformedMessageException e) {
                        accepted = false;
                    }
                    expect("accepted", c.path("accepted").asBoolean(false), accepted);
                    expect("refused", c.path("refused").asBoolean(false), !accepted);
                })
                .assertAllPassed();
    }

    @Test
    void deviceJwt_everyTokenAcceptedOrRefusedAsFrozen() {
        KnownAnswers vectors = KnownAnswers.load("countersign/device-jwt.json");
        JsonNode file = vectors.file();
        ECPublicKey key = P256.decodePoint(HEX.parseHex(file.path("devicePublicKey").asText()));
        KeyPair device = P256Curve.keyPair(new BigInteger(1, HEX.parseHex(file.path("deviceKey").asText())));
        expect("device key", file.path("devicePublicKey").asText(), HEX.formatHex(P256.encodePoint((ECPublicKey) device.getPublic())));
        String audience = file.path("audience").asText();
        List<String> reasons = new ArrayList<>();
        vectors.each(v -> {
            Instant now = Instant.ofEpochSecond(v.path("now").asLong());
            String token = v.path("token").asText();
            if (v.has("accepted")) {
                JsonNode expected = v.path("accepted");
                DeviceToken verified = DeviceToken.verify(token, audience, now, kid -> kid.equals(file.path("iid").asText()) ? key : null);
                expect("iid", expected.path("iid").asText(), verified.instanceId());
                expect("jti", expected.path("jti").asText(), verified.jti());
                expect("iat", expected.path("iat").asLong(), verified.issuedAt());
                expect("exp", expected.path("exp").asLong(), verified.expiresAt());
            } else {
                InvalidDeviceTokenException e = assertThrows(InvalidDeviceTokenException.class,
                        () -> DeviceToken.verify(token, key, audience, now));
                expect("reason", v.path("refused").asText(), e.reason().name());
                expect("message", "invalid device token", e.getMessage());
                reasons.add(e.reason().name());
            }
        }).assertAllPassed();
        // Every reason but UNKNOWN_INSTANCE (a property of the server's lookup, not of a token) has a frozen case.
        for (InvalidDeviceTokenException.Reason reason : InvalidDeviceTokenException.Reason.values()) {
            if (reason != InvalidDeviceTokenException.Reason.UNKNOWN_INSTANCE) {
                assertEquals(true, reasons.contains(reason.name()), "no frozen case for " + reason);
            }
        }
    }

    @Test
    void pushSignature_frozenSignaturesVerifyAndVariantsAsFrozen() {
        KnownAnswers vectors = KnownAnswers.load("countersign/push-signature.json");
        JsonNode file = vectors.file();
        ECPublicKey key = P256.decodePoint(HEX.parseHex(file.path("devicePublicKey").asText()));
        KeyPair device = P256Curve.keyPair(new BigInteger(1, HEX.parseHex(file.path("deviceKey").asText())));
        vectors.each(v -> {
            JsonNode in = v.path("input");
            JsonNode out = v.path("output");
            List<TransactionField> fields = new ArrayList<>();
            in.path("fields").forEach(f -> fields.add(new TransactionField(f.path("name").asText(), f.path("value").asText())));
            String dataHash = new TransactionData(in.path("message").asText(), fields).dataHash();
            expect("dataHash", out.path("dataHash").asText(), dataHash);
            Integer number = in.has("selectedNumber") ? in.path("selectedNumber").asInt() : null;
            PushDecision decision = PushDecision.fromWire(in.path("decision").asText());
            String requestId = in.path("requestId").asText();
            String challenge = in.path("challenge").asText();
            String iid = in.path("iid").asText();
            expect("signed text", out.path("signedText").asText(), new String(PushResponseSignature.message(requestId, challenge,
                    dataHash, decision, number, iid), StandardCharsets.UTF_8));
            PushResponseSignature.verify(key, requestId, challenge, dataHash, decision, number, iid, out.path("signature").asText());
            PushResponseSignature.verify(key, requestId, challenge, dataHash, decision, number, iid,
                    PushResponseSignature.sign(device.getPrivate(), requestId, challenge, dataHash, decision, number, iid));
        }).assertAllPassed();
        JsonNode first = file.path("vectors").get(0);
        vectors.each("signatureVariants", c -> {
            boolean accepted = true;
            try {
                PushResponseSignature.verify(key, first.path("input").path("requestId").asText(),
                        first.path("input").path("challenge").asText(), first.path("output").path("dataHash").asText(),
                        PushDecision.fromWire(c.path("decision").asText()),
                        c.has("selectedNumber") ? c.path("selectedNumber").asInt() : null,
                        first.path("input").path("iid").asText(), c.path("signature").asText());
            } catch (InvalidSignatureException e) {
                accepted = false;
            }
            expect("accepted", c.path("accepted").asBoolean(false), accepted);
        }).assertAllPassed();
    }

    @Test
    void otpauth_writtenAndParsedAsFrozen() {
        KnownAnswers.load("countersign/otpauth.json")
                .each(v -> {
                    JsonNode in = v.path("input");
                    String uri = OtpAuthUri.write(in.path("issuer").asText(null), in.path("account").asText(),
                            Secret.copyOf(HEX.parseHex(in.path("secret").asText())), OtpPolicy.parse(in.path("otp").asText()));
                    expect("uri", v.path("output").path("uri").asText(), uri);
                    OtpAuthUri parsed = OtpAuthUri.parse(uri);
                    expect("issuer back", in.path("issuer").asText(null), parsed.issuer());
                    expect("account back", in.path("account").asText(), parsed.account());
                    expect("secret back", in.path("secret").asText(), HEX.formatHex(parsed.secret().reveal()));
                    expect("otp back", in.path("otp").asText(), parsed.policy().format());
                })
                .each("parsing", c -> {
                    if (c.path("refused").asBoolean(false)) {
                        assertThrows(MalformedMessageException.class, () -> OtpAuthUri.parse(c.path("uri").asText()));
                        return;
                    }
                    OtpAuthUri parsed = OtpAuthUri.parse(c.path("uri").asText());
                    expect("issuer", c.path("issuer").asText(null), parsed.issuer());
                    expect("account", c.path("account").asText(), parsed.account());
                    expect("secret", c.path("secret").asText(), HEX.formatHex(parsed.secret().reveal()));
                    expect("otp", c.path("otp").asText(), parsed.policy().format());
                })
                .assertAllPassed();
    }

    /** The signed part of a request: everything but the signature algorithm and value. */
    static byte[] requestInfo(byte[] csr) {
        try {
            return CertificationRequest.getInstance(csr).getCertificationRequestInfo().getEncoded(ASN1Encoding.DER);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static BigInteger[] rs(String base64url) {
        return Ecdsa.decodeDer(Base64Url.decode(base64url));
    }
}
