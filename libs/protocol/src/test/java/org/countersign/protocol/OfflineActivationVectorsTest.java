package org.countersign.protocol;

import static org.countersign.protocol.KnownAnswers.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HexFormat;
import org.countersign.protocol.internal.Base64Url;
import org.countersign.protocol.internal.Luhn;
import org.countersign.secrets.Secret;
import org.junit.jupiter.api.Test;

/**
 * The frozen vectors of docs/protocol-vectors/offline-activation.json, checked from both sides. A
 * change that alters any output fails here; the fix is the code, never the file.
 */
class OfflineActivationVectorsTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String FILE = "countersign/offline-activation.json";

    @Test
    void serverSide_sealsMessage2AndDerivesKeysAsFrozen() {
        KnownAnswers vectors = KnownAnswers.load(FILE);
        vectors.each(v -> {
            JsonNode in = v.path("input");
            JsonNode out = v.path("output");
            Secret ap = Secret.copyOf(HEX.parseHex(in.path("ap").asText()));
            Secret is = Secret.copyOf(HEX.parseHex(in.path("is").asText()));
            String rid = in.path("rid").asText();
            String iid = in.path("iid").asText();
            String sn = in.path("sn").asText();
            OtpPolicy otp = OtpPolicy.parse(in.path("otp").asText());
            DeviceCode dc = DeviceCode.parse(out.path("dcDisplay").asText());
            expect("dn from DC", in.path("dn").asText(), HEX.formatHex(dc.dn()));
            expect("am1Uri", out.path("am1Uri").asText(), ProtocolUris.activationMessage1(sn, rid, ap,
                    in.path("iss").asText(null), in.path("acct").asText(null)));
            expect("K_act", out.path("kAct").asText(), HEX.formatHex(ActivationKey.derive(ap, dc, rid, iid, sn).reveal()));
            ActivationMessage2 am2 = ActivationMessage2.seal(ap, dc, rid, iid, sn, otp, is, HEX.parseHex(in.path("nonce").asText()));
            expect("c", out.path("c").asText(), HEX.formatHex(am2.ciphertext()));
            expect("c base64url", out.path("cBase64url").asText(), Base64Url.encode(am2.ciphertext()));
            expect("am2Uri", out.path("am2Uri").asText(), am2.toUri());
            InstanceKeys keys = InstanceKeys.of(is);
            expect("K_proof", out.path("kProof").asText(), HEX.formatHex(keys.proof().reveal()));
            expect("K_otp", out.path("kOtp").asText(), HEX.formatHex(keys.otp(otp).reveal()));
            expect("K_sign", out.path("kSign").asText(), HEX.formatHex(keys.sign().reveal()));
            expect("K_tx", out.path("kTx").asText(), HEX.formatHex(keys.tx().reveal()));
            ActivationSignature.verify(keys, rid, iid, dc, out.path("sig").asText());
        }).assertAllPassed();
        assertEquals(5, vectors.count());
    }

    @Test
    void deviceSide_readsBothImagesAndShowsTheFrozenCodes() {
        KnownAnswers.load(FILE).each(v -> {
            JsonNode in = v.path("input");
            JsonNode out = v.path("output");
            ActivationMessage1 am1 = ProtocolUris.parseActivationMessage1(out.path("am1Uri").asText());
            expect("ap", in.path("ap").asText(), HEX.formatHex(am1.ap().reveal()));
            expect("iss", in.path("iss").asText(null), am1.issuer());
            expect("acct", in.path("acct").asText(null), am1.account());
            DeviceCode dc = DeviceCode.ofDn(HEX.parseHex(in.path("dn").asText()));
            expect("DC", out.path("dc").asText(), dc.digits());
            expect("DC display", out.path("dcDisplay").asText(), dc.display());
            ActivationMessage2 am2 = ProtocolUris.parseActivationMessage2(out.path("am2Uri").asText());
            expect("iid", in.path("iid").asText(), am2.iid());
            expect("otp", in.path("otp").asText(), am2.otp().format());
            expect("nonce", in.path("nonce").asText(), HEX.formatHex(am2.nonce()));
            Secret is = am2.open(am1, dc);
            expect("IS", in.path("is").asText(), HEX.formatHex(is.reveal()));
            expect("SIG", out.path("sig").asText(), ActivationSignature.compute(InstanceKeys.of(is), am2.rid(), am2.iid(), dc));
        }).assertAllPassed();
    }

    @Test
    void luhnDtAndDeviceCodeParsing_asFrozen() {
        KnownAnswers.load(FILE)
                .each("luhn", c -> {
                    String payload = c.path("payload").asText();
                    expect("check digit", c.path("checkDigit").asText(), String.valueOf(Luhn.checkDigit(payload)));
                    expect("valid", true, Luhn.valid(payload + c.path("checkDigit").asText()));
                })
                .each("dt", c -> expect("DT", c.path("dt").asText(),
                        Truncation.dt(HEX.parseHex(c.path("hmac").asText()), c.path("digits").asInt())))
                .each("deviceCodeParsing", c -> {
                    String expected = c.has("refused") ? c.path("refused").asText() : c.path("dn").asText();
                    String actual;
                    try {
                        actual = HEX.formatHex(DeviceCode.parse(c.path("typed").asText()).dn());
                    } catch (MalformedDeviceCodeException e) {
                        actual = e.reason().name();
                    }
                    expect("parse", expected, actual);
                })
                .assertAllPassed();
    }
}
