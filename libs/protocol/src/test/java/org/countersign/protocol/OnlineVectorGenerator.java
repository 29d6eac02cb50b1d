package org.countersign.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.countersign.protocol.internal.Base64Url;
import org.countersign.protocol.internal.DeviceJwt;
import org.countersign.protocol.internal.Ecdsa;
import org.countersign.protocol.internal.P256Curve;
import org.countersign.secrets.Secret;

/**
 * Wrote docs/protocol-vectors/online-activation.json, device-jwt.json, push-signature.json and
 * otpauth.json once, on 2026-12-06. Kept to show how the frozen vectors were made, not to be run
 * again: {@link OnlineVectorsTest} checks the code against the files, and regenerating would hide
 * exactly the change that test exists to catch (and ECDSA signatures are randomized, so the CSRs,
 * confirmation signatures, tokens and push signatures would all change). Private scalars and the
 * other inputs come from SHA-256 of fixed labels, as in {@link OfflineActivationVectorGenerator}.
 * Run: {@code java ... OnlineVectorGenerator <output directory>}.
 */
final class OnlineVectorGenerator {

    private static final HexFormat HEX = HexFormat.of();
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String SOURCE = "Countersign libs/protocol, generated once on 2026-12-06 and frozen; see README.md";

    private OnlineVectorGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        write(dir.resolve("online-activation.json"), onlineActivation());
        write(dir.resolve("device-jwt.json"), deviceJwt());
        write(dir.resolve("push-signature.json"), pushSignature());
        write(dir.resolve("otpauth.json"), otpauth());
    }

    private static void write(Path file, ObjectNode content) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(content) + "\n");
    }

    // ---------------------------------------------------------------- online activation

    private static ObjectNode onlineActivation() {
        ObjectNode file = JSON.createObjectNode();
        file.put("source", SOURCE);
        file.put("spec", "docs/protocol.md, sections Notation, Keys derived from the instance secret, Online activation");
        ArrayNode vectors = file.putArray("vectors");
        vectors.add(activation("online-default", "https://provisioning.example.com", "reg-0101", "inst-0101", "CS0000101",
                "totp:sha1:6:30", "Example Bank", "alice@example.com", false));
        vectors.add(activation("online-sha256-longest-ids", "http://127.0.0.1:8082/countersign/", "r".repeat(64), "I-".repeat(32),
                "9".repeat(64), "totp:sha256:8:60", "Ünïcødé & Co: 100%", null, false));
        vectors.add(activation("online-hotp", "https://[2001:db8::1]:8443", "R", "I", "S", "hotp:sha512:7", null, "bob", false));
        vectors.add(activation("migrate", "https://provisioning.example.com/", "reg-0104", "inst-0004", "CS0000004",
                "totp:sha1:6:30", "Example Bank", "carol", true));
        file.set("csrRefusals", csrRefusals());
        file.set("epkRefusals", epkRefusals());
        return file;
    }

    private static ObjectNode activation(String id, String url, String rid, String iid, String sn, String otpText,
                                         String issuer, String account, boolean migrate) {
        KeyPair device = P256Curve.keyPair(scalar(id + "/device-key"));
        Secret ap = Secret.copyOf(Arrays.copyOf(sha256(id + "/AP"), 20));
        Secret is = Secret.copyOf(sha256(id + "/IS"));
        OtpPolicy otp = OtpPolicy.parse(otpText);
        EnrolmentRequest request = EnrolmentRequest.create(ap, rid, sn, device);
        VerifiedEnrolment verified = EnrolmentRequest.verify(ap, rid, sn, request.csrBase64url(), request.proof());
        InstanceKeys keys = InstanceKeys.of(is);
        String code = OnlineConfirmation.code(keys, rid, iid, request.h());

        ObjectNode v = JSON.createObjectNode();
        v.put("id", id);
        ObjectNode in = v.putObject("input");
        in.put("url", url);
        in.put("rid", rid);
        in.put("iid", iid);
        in.put("sn", sn);
        in.put("otp", otpText);
        if (issuer != null) {
            in.put("iss", issuer);
        }
        if (account != null) {
            in.put("acct", account);
        }
        in.put("migrate", migrate);
        in.put("ap", HEX.formatHex(ap.reveal()));
        in.put("deviceKey", HEX.formatHex(P256Curve.fixed32(scalar(id + "/device-key"))));
        in.put("is", HEX.formatHex(is.reveal()));
        ObjectNode out = v.putObject("output");
        out.put("enrolmentUri", ProtocolUris.enrolment(url, rid, sn, ap, issuer, account, migrate ? iid : null));
        out.put("devicePublicKey", HEX.formatHex(P256.encodePoint((ECPublicKey) device.getPublic())));
        out.put("devicePublicKeySpki", HEX.formatHex(P256.encodeSpki((ECPublicKey) device.getPublic())));
        out.put("csr", HEX.formatHex(request.csr()));
        out.put("csrBase64url", request.csrBase64url());
        out.put("h", request.h());
        out.put("proofMessage", "countersign/v1/enroll|" + rid + "|" + request.h());
        out.put("proof", request.proof());
        if (!migrate) {
            KeyPair ephemeral = P256Curve.keyPair(scalar(id + "/ephemeral-key"));
            byte[] nonce = Arrays.copyOf(sha256(id + "/nonce"), 12);
            in.put("ephemeralKey", HEX.formatHex(P256Curve.fixed32(scalar(id + "/ephemeral-key"))));
            in.put("nonce", HEX.formatHex(nonce));
            SealedInstanceSecret sealed = SealedInstanceSecret.seal(verified, iid, otp, is, ephemeral, nonce);
            out.put("epk", HEX.formatHex(Base64Url.decode(sealed.epk())));
            out.put("epkBase64url", sealed.epk());
            out.put("z", HEX.formatHex(SealedInstanceSecret.sharedSecret(ephemeral.getPrivate(), verified.devicePublicKey()).reveal()));
            out.put("salt", HEX.formatHex(Ecdsa.sha256(request.csr())));
            out.put("info", "countersign/v1/online|" + rid + "|" + iid);
            out.put("k", HEX.formatHex(SealedInstanceSecret.key(ephemeral.getPrivate(), verified.devicePublicKey(),
                    request.csr(), rid, iid).reveal()));
            out.put("aad", new String(SealedInstanceSecret.aad(rid, iid, otp), StandardCharsets.UTF_8));
            out.put("n", sealed.n());
            out.put("c", HEX.formatHex(Base64Url.decode(sealed.c())));
            out.put("cBase64url", sealed.c());
        }
        out.put("kProof", HEX.formatHex(keys.proof().reveal()));
        out.put("codeMessage", "countersign/v1/activate|" + rid + "|" + iid + "|" + request.h());
        out.put("code", code);
        out.put("confirmMessage", "countersign/v1/confirm|" + rid + "|" + iid + "|" + code);
        out.put("confirmSignature", OnlineConfirmation.sign(device.getPrivate(), rid, iid, code));
        return v;
    }

    private static ArrayNode csrRefusals() {
        String id = "csr-refusals";
        KeyPair device = P256Curve.keyPair(scalar(id + "/device-key"));
        KeyPair other = P256Curve.keyPair(scalar(id + "/other-key"));
        String sn = "CS0000200";
        String rid = "reg-0200";
        Secret ap = Secret.copyOf(Arrays.copyOf(sha256(id + "/AP"), 20));
        byte[] good = EnrolmentRequest.create(ap, rid, sn, device).csr();
        ECPublicKey key = (ECPublicKey) device.getPublic();
        ArrayNode cases = JSON.createArrayNode();
        // The accepted request first, so that a reader can see the refusals are about the CSR alone.
        addCsr(cases, "accepted", ap, rid, sn, good, null);
        addCsr(cases, "printable-string-cn", ap, rid, sn, Csrs.build(
                new X500Name(new RDN[] {new RDN(BCStyle.CN, new DERPrintableString(sn))}), Csrs.spki(device),
                Csrs.ECDSA_SHA256, "SHA256withECDSA", device.getPrivate()), null);
        addCsr(cases, "not-base64url", ap, rid, sn, "MIIB+A==", "MALFORMED_CSR_ENCODING");
        addCsr(cases, "wrong-proof", ap, rid, sn, good, "PROOF", EnrolmentRequest.proof(ap, "reg-0201", EnrolmentRequest.csrHash(good)));
        addCsr(cases, "trailing-byte", ap, rid, sn, concat(good, new byte[] {0}), "MALFORMED_CSR");
        addCsr(cases, "ber-indefinite-length", ap, rid, sn, Csrs.indefiniteLength(good), "MALFORMED_CSR");
        addCsr(cases, "ber-long-form-length", ap, rid, sn, Csrs.longFormLength(good), "MALFORMED_CSR");
        addCsr(cases, "truncated", ap, rid, sn, Arrays.copyOf(good, good.length - 1), "MALFORMED_CSR");
        addCsr(cases, "not-asn1", ap, rid, sn, "not a certification request".getBytes(StandardCharsets.US_ASCII), "MALFORMED_CSR");
        addCsr(cases, "version-1", ap, rid, sn, Csrs.buildRaw(1, Csrs.cn(sn), Csrs.spki(device), new DERSet(), device.getPrivate()),
                "MALFORMED_CSR");
        addCsr(cases, "no-attributes-field", ap, rid, sn, Csrs.buildRaw(0, Csrs.cn(sn), Csrs.spki(device), null, device.getPrivate()),
                "MALFORMED_CSR");
        addCsr(cases, "signed-by-another-key", ap, rid, sn, Csrs.build(Csrs.cn(sn), Csrs.spki(device), Csrs.ECDSA_SHA256,
                "SHA256withECDSA", other.getPrivate()), "SIGNATURE");
        addCsr(cases, "signature-algorithm-with-null-parameters", ap, rid, sn, Csrs.build(Csrs.cn(sn), Csrs.spki(device),
                Csrs.ecdsaSha256WithNull(), "SHA256withECDSA", device.getPrivate()), "SIGNATURE");
        addCsr(cases, "sha384-with-ecdsa", ap, rid, sn, Csrs.build(Csrs.cn(sn), Csrs.spki(device),
                new org.bouncycastle.asn1.x509.AlgorithmIdentifier(org.bouncycastle.asn1.x9.X9ObjectIdentifiers.ecdsa_with_SHA384),
                "SHA384withECDSA", device.getPrivate()), "SIGNATURE");
        addCsr(cases, "signature-value-ber", ap, rid, sn, berSignature(good), "SIGNATURE");
        KeyPair rsa = Csrs.rsa();
        addCsr(cases, "rsa-key-sha256-with-rsa", ap, rid, sn, Csrs.build(Csrs.cn(sn), Csrs.spki(rsa), Csrs.rsaSha256(),
                "SHA256withRSA", rsa.getPrivate()), "SIGNATURE");
        KeyPair p384 = Csrs.p384();
        addCsr(cases, "p384-key", ap, rid, sn, Csrs.build(Csrs.cn(sn), Csrs.spki(p384), Csrs.ECDSA_SHA256, "SHA256withECDSA",
                p384.getPrivate()), "KEY_NOT_P256");
        addCsr(cases, "p256-explicit-parameters", ap, rid, sn, Csrs.build(Csrs.cn(sn), Csrs.explicitParameters(key), Csrs.ECDSA_SHA256,
                "SHA256withECDSA", device.getPrivate()), "KEY_NOT_P256");
        addCsr(cases, "p256-compressed-point", ap, rid, sn, Csrs.build(Csrs.cn(sn), Csrs.compressed(key), Csrs.ECDSA_SHA256,
                "SHA256withECDSA", device.getPrivate()), "KEY_NOT_P256");
        addCsr(cases, "p384-key-wrong-subject", ap, rid, sn, Csrs.build(Csrs.cn("CS0000999"), Csrs.spki(p384), Csrs.ECDSA_SHA256,
                "SHA256withECDSA", p384.getPrivate()), "KEY_NOT_P256");
        addCsr(cases, "other-serial-number", ap, rid, sn, Csrs.build(Csrs.cn("CS0000201"), Csrs.spki(device), Csrs.ECDSA_SHA256,
                "SHA256withECDSA", device.getPrivate()), "SUBJECT");
        addCsr(cases, "cn-and-o", ap, rid, sn, Csrs.build(new X500Name("CN=" + sn + ",O=Example"), Csrs.spki(device),
                Csrs.ECDSA_SHA256, "SHA256withECDSA", device.getPrivate()), "SUBJECT");
        addCsr(cases, "multi-valued-rdn", ap, rid, sn, Csrs.build(new X500Name(new RDN[] {new RDN(
                new org.bouncycastle.asn1.x500.AttributeTypeAndValue[] {
                    new org.bouncycastle.asn1.x500.AttributeTypeAndValue(BCStyle.CN, new DERUTF8String(sn)),
                    new org.bouncycastle.asn1.x500.AttributeTypeAndValue(BCStyle.SERIALNUMBER, new DERPrintableString(sn))})}),
                Csrs.spki(device), Csrs.ECDSA_SHA256, "SHA256withECDSA", device.getPrivate()), "SUBJECT");
        addCsr(cases, "serial-number-attribute-not-cn", ap, rid, sn, Csrs.build(new X500Name(new RDN[] {
                new RDN(BCStyle.SERIALNUMBER, new DERPrintableString(sn))}), Csrs.spki(device), Csrs.ECDSA_SHA256,
                "SHA256withECDSA", device.getPrivate()), "SUBJECT");
        addCsr(cases, "bmp-string-cn", ap, rid, sn, Csrs.build(new X500Name(new RDN[] {
                new RDN(BCStyle.CN, new org.bouncycastle.asn1.DERBMPString(sn))}), Csrs.spki(device), Csrs.ECDSA_SHA256,
                "SHA256withECDSA", device.getPrivate()), "SUBJECT");
        addCsr(cases, "empty-subject", ap, rid, sn, Csrs.build(new X500Name(new RDN[0]), Csrs.spki(device), Csrs.ECDSA_SHA256,
                "SHA256withECDSA", device.getPrivate()), "SUBJECT");
        addCsr(cases, "cn-with-different-case", ap, rid, sn, Csrs.build(Csrs.cn(sn.toLowerCase()), Csrs.spki(device), Csrs.ECDSA_SHA256,
                "SHA256withECDSA", device.getPrivate()), "SUBJECT");
        return cases;
    }

    private static void addCsr(ArrayNode cases, String id, Secret ap, String rid, String sn, byte[] csr, String reason) {
        addCsr(cases, id, ap, rid, sn, csr, reason, EnrolmentRequest.proof(ap, rid, EnrolmentRequest.csrHash(csr)));
    }

    private static void addCsr(ArrayNode cases, String id, Secret ap, String rid, String sn, byte[] csr, String reason, String proof) {
        addCsr(cases, id, ap, rid, sn, Base64Url.encode(csr), reason, proof);
    }

    private static void addCsr(ArrayNode cases, String id, Secret ap, String rid, String sn, String csrText, String reason) {
        addCsr(cases, id, ap, rid, sn, csrText, reason, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    }

    private static void addCsr(ArrayNode cases, String id, Secret ap, String rid, String sn, String csrText, String reason,
                               String proof) {
        String actual;
        try {
            EnrolmentRequest.verify(ap, rid, sn, csrText, proof);
            actual = null;
        } catch (InvalidEnrolmentException e) {
            actual = e.reason().name();
        }
        if (!java.util.Objects.equals(reason, actual)) {
            throw new IllegalStateException(id + ": expected " + reason + " but got " + actual);
        }
        ObjectNode c = cases.addObject();
        c.put("id", id);
        c.put("ap", HEX.formatHex(ap.reveal()));
        c.put("rid", rid);
        c.put("sn", sn);
        c.put("csrBase64url", csrText);
        c.put("proof", proof);
        if (reason == null) {
            c.put("accepted", true);
        } else {
            c.put("refused", reason);
        }
    }

    /** The good request with its signature value re-encoded with a needless long-form length. */
    private static byte[] berSignature(byte[] good) {
        try {
            CertificationRequest request = CertificationRequest.getInstance(good);
            byte[] der = request.getSignature().getOctets();
            byte[] ber = new byte[der.length + 1];
            ber[0] = 0x30;
            ber[1] = (byte) 0x81;
            System.arraycopy(der, 1, ber, 2, der.length - 1);
            return new CertificationRequest(request.getCertificationRequestInfo(), request.getSignatureAlgorithm(),
                    new org.bouncycastle.asn1.DERBitString(ber)).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ArrayNode epkRefusals() {
        ArrayNode cases = JSON.createArrayNode();
        byte[] good = P256.encodePoint((ECPublicKey) P256Curve.keyPair(scalar("epk/ephemeral-key")).getPublic());
        BigInteger p = P256Curve.DOMAIN.getCurve().getField().getCharacteristic();
        addEpk(cases, "valid", good, true);
        byte[] offCurve = good.clone();
        offCurve[64] ^= 1;
        addEpk(cases, "not-on-the-curve", offCurve, false);
        byte[] compressed = P256Curve.validPoint(good).getEncoded(true);
        addEpk(cases, "compressed", compressed, false);
        addEpk(cases, "infinity", new byte[] {0}, false);
        addEpk(cases, "all-zero-65-bytes", new byte[65], false);
        byte[] hybrid = good.clone();
        hybrid[0] = (byte) (0x06 | (good[64] & 1));
        addEpk(cases, "hybrid-encoding", hybrid, false);
        addEpk(cases, "one-byte-short", Arrays.copyOf(good, 64), false);
        addEpk(cases, "one-byte-long", concat(good, new byte[] {0}), false);
        // x + p: a point of the curve whose x-coordinate is written unreduced (the smallest x on the curve, plus p).
        for (BigInteger x = BigInteger.ZERO; ; x = x.add(BigInteger.ONE)) {
            org.bouncycastle.math.ec.ECFieldElement fx = P256Curve.DOMAIN.getCurve().fromBigInteger(x);
            org.bouncycastle.math.ec.ECFieldElement y = fx.square().add(P256Curve.DOMAIN.getCurve().getA()).multiply(fx)
                    .add(P256Curve.DOMAIN.getCurve().getB()).sqrt();
            if (y != null) {
                addEpk(cases, "x-not-reduced", concat(concat(new byte[] {4}, P256Curve.fixed32(x.add(p))), P256Curve.fixed32(y.toBigInteger())), false);
                addEpk(cases, "smallest-x-reduced", concat(concat(new byte[] {4}, P256Curve.fixed32(x)), P256Curve.fixed32(y.toBigInteger())), true);
                break;
            }
        }
        // A point of another curve (y^2 = x^3 - 3x + 1): the classic invalid-curve attack input.
        addEpk(cases, "point-of-another-curve", HEX.parseHex("04" + "0".repeat(63) + "1" + "0".repeat(63) + "1"), false);
        return cases;
    }

    private static void addEpk(ArrayNode cases, String id, byte[] epk, boolean accepted) {
        boolean actual;
        try {
            SealedInstanceSecret.parse(Base64Url.encode(epk), Base64Url.encode(new byte[12]), Base64Url.encode(new byte[48]));
            actual = true;
        } catch (MalformedMessageException e) {
            actual = false;
        }
        if (actual != accepted) {
            throw new IllegalStateException(id);
        }
        ObjectNode c = cases.addObject();
        c.put("id", id);
        c.put("epk", HEX.formatHex(epk));
        c.put("epkBase64url", Base64Url.encode(epk));
        c.put(accepted ? "accepted" : "refused", true);
    }

    // ---------------------------------------------------------------- device JWT

    private static ObjectNode deviceJwt() {
        ObjectNode file = JSON.createObjectNode();
        file.put("source", SOURCE);
        file.put("spec", "docs/protocol.md, section Device authentication");
        KeyPair device = P256Curve.keyPair(scalar("jwt/device-key"));
        KeyPair other = P256Curve.keyPair(scalar("jwt/other-key"));
        String iid = "inst-0300";
        String aud = DeviceToken.PUSH_AUDIENCE;
        long iat = 1795428900L; // 2026-11-23T10:15:00Z
        long exp = iat + 300;
        String jti = Base64Url.encode(Arrays.copyOf(sha256("jwt/jti"), 16));
        file.put("deviceKey", HEX.formatHex(P256Curve.fixed32(scalar("jwt/device-key"))));
        file.put("devicePublicKey", HEX.formatHex(P256.encodePoint((ECPublicKey) device.getPublic())));
        file.put("iid", iid);
        file.put("audience", aud);
        String header = "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"" + iid + "\"}";
        ArrayNode vectors = file.putArray("vectors");
        String standard = DeviceToken.sign(device.getPrivate(), iid, aud, iat, exp, jti);
        addJwt(vectors, "standard", standard, iat + 10, device, null);
        addJwt(vectors, "at-issue-time", standard, iat, device, null);
        addJwt(vectors, "iat-60-seconds-ahead-of-the-server", standard, iat - 60, device, null);
        addJwt(vectors, "exp-59-seconds-ago", standard, exp + 59, device, null);
        addJwt(vectors, "short-lifetime-longer-jti", DeviceToken.sign(device.getPrivate(), iid, aud, iat, iat + 1,
                Base64Url.encode(sha256("jwt/jti-32"))), iat, device, null);
        addJwt(vectors, "members-reordered-white-space-unknown-claim", DeviceJwt.signP1363(device.getPrivate(),
                "{ \"kid\" : \"" + iid + "\", \"typ\":\"JWT\", \"alg\":\"ES256\" }",
                "{\"jti\":\"" + jti + "\",\"exp\":" + exp + ",\"nbf\":0,\"aud\":\"countersign-push\",\"sub\":\"" + iid
                        + "\",\"iat\":" + iat + ",\"iss\":\"" + iid + "\",\"x\":[1,{\"y\":null}]}"), iat, device, null);
        String claims = claims(iid, iid, "\"" + aud + "\"", iat, exp, jti);
        String[] parts = standard.split("\\.");
        byte[] p1363 = Base64Url.decode(parts[2]);
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(p1363, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(p1363, 32, 64));
        addJwt(vectors, "alg-none", Base64Url.encode(utf8("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + iid + "\"}"))
                + "." + Base64Url.encode(utf8(claims)) + ".", iat, device, "ALGORITHM");
        addJwt(vectors, "alg-hs256", hs256(iid, claims), iat, device, "ALGORITHM");
        addJwt(vectors, "alg-rs256", rs256(iid, claims), iat, device, "ALGORITHM");
        addJwt(vectors, "alg-lower-case", DeviceJwt.signP1363(device.getPrivate(),
                "{\"alg\":\"es256\",\"typ\":\"JWT\",\"kid\":\"" + iid + "\"}", claims), iat, device, "ALGORITHM");
        addJwt(vectors, "alg-missing", DeviceJwt.signP1363(device.getPrivate(), "{\"typ\":\"JWT\",\"kid\":\"" + iid + "\"}", claims),
                iat, device, "ALGORITHM");
        addJwt(vectors, "typ-missing", DeviceJwt.signP1363(device.getPrivate(), "{\"alg\":\"ES256\",\"kid\":\"" + iid + "\"}", claims),
                iat, device, "HEADER");
        addJwt(vectors, "typ-lower-case", DeviceJwt.signP1363(device.getPrivate(),
                "{\"alg\":\"ES256\",\"typ\":\"jwt\",\"kid\":\"" + iid + "\"}", claims), iat, device, "HEADER");
        addJwt(vectors, "crit-header", DeviceJwt.signP1363(device.getPrivate(),
                "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"" + iid + "\",\"crit\":[\"exp\"]}", claims), iat, device, "HEADER");
        addJwt(vectors, "jwk-header", DeviceJwt.signP1363(device.getPrivate(),
                "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"" + iid + "\",\"jwk\":{\"kty\":\"EC\"}}", claims), iat, device, "HEADER");
        addJwt(vectors, "kid-missing", DeviceJwt.signP1363(device.getPrivate(), "{\"alg\":\"ES256\",\"typ\":\"JWT\"}", claims),
                iat, device, "HEADER");
        addJwt(vectors, "kid-not-an-id", DeviceJwt.signP1363(device.getPrivate(),
                "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"inst|0300\"}", claims(iid.replace('-', '|'), "inst|0300",
                        "\"" + aud + "\"", iat, exp, jti)), iat, device, "HEADER");
        addJwt(vectors, "der-signature", parts[0] + "." + parts[1] + "." + Base64Url.encode(Ecdsa.encodeDer(r, s)),
                iat, device, "SIGNATURE");
        addJwt(vectors, "signed-by-another-key", DeviceToken.sign(other.getPrivate(), iid, aud, iat, exp, jti), iat, device,
                "SIGNATURE");
        addJwt(vectors, "claims-re-encoded-after-signing", parts[0] + "." + Base64Url.encode(utf8(claims(iid, iid,
                "\"" + aud + "\"", iat, exp + 1, jti).replace(",\"exp\":" + (exp + 1), ",\"exp\":" + exp + " "))) + "." + parts[2],
                iat, device, "SIGNATURE");
        addJwt(vectors, "signature-63-bytes", parts[0] + "." + parts[1] + "." + Base64Url.encode(Arrays.copyOf(p1363, 63)),
                iat, device, "SIGNATURE");
        addJwt(vectors, "signature-empty", parts[0] + "." + parts[1] + ".", iat, device, "SIGNATURE");
        addJwt(vectors, "iss-not-kid", DeviceJwt.signP1363(device.getPrivate(), header, claims("inst-0301", iid, "\"" + aud + "\"",
                iat, exp, jti)), iat, device, "ISSUER");
        addJwt(vectors, "sub-not-kid", DeviceJwt.signP1363(device.getPrivate(), header, claims(iid, "inst-0301", "\"" + aud + "\"",
                iat, exp, jti)), iat, device, "ISSUER");
        addJwt(vectors, "sub-missing", DeviceJwt.signP1363(device.getPrivate(), header, claims.replace(",\"sub\":\"" + iid + "\"", "")),
                iat, device, "ISSUER");
        addJwt(vectors, "aud-array", DeviceJwt.signP1363(device.getPrivate(), header, claims(iid, iid, "[\"" + aud + "\"]",
                iat, exp, jti)), iat, device, "AUDIENCE");
        addJwt(vectors, "aud-other", DeviceJwt.signP1363(device.getPrivate(), header, claims(iid, iid, "\"countersign-otp\"",
                iat, exp, jti)), iat, device, "AUDIENCE");
        addJwt(vectors, "iat-string", DeviceJwt.signP1363(device.getPrivate(), header, claims.replace("\"iat\":" + iat,
                "\"iat\":\"" + iat + "\"")), iat, device, "TIMES");
        addJwt(vectors, "exp-fraction", DeviceJwt.signP1363(device.getPrivate(), header, claims.replace("\"exp\":" + exp,
                "\"exp\":" + exp + ".0")), iat, device, "TIMES");
        addJwt(vectors, "exp-exponent", DeviceJwt.signP1363(device.getPrivate(), header, claims.replace("\"exp\":" + exp,
                "\"exp\":1.7954292E9")), iat, device, "TIMES");
        addJwt(vectors, "exp-missing", DeviceJwt.signP1363(device.getPrivate(), header, claims.replace(",\"exp\":" + exp, "")),
                iat, device, "TIMES");
        addJwt(vectors, "lifetime-301", DeviceJwt.signP1363(device.getPrivate(), header, claims(iid, iid, "\"" + aud + "\"",
                iat, iat + 301, jti)), iat, device, "LIFETIME");
        addJwt(vectors, "exp-equals-iat", DeviceJwt.signP1363(device.getPrivate(), header, claims(iid, iid, "\"" + aud + "\"",
                iat, iat, jti)), iat, device, "LIFETIME");
        addJwt(vectors, "exp-60-seconds-ago", standard, exp + 60, device, "EXPIRED");
        addJwt(vectors, "iat-61-seconds-ahead-of-the-server", standard, iat - 61, device, "ISSUED_IN_FUTURE");
        addJwt(vectors, "jti-missing", DeviceJwt.signP1363(device.getPrivate(), header, claims.replace(",\"jti\":\"" + jti + "\"", "")),
                iat, device, "JTI");
        addJwt(vectors, "jti-15-bytes", DeviceJwt.signP1363(device.getPrivate(), header, claims(iid, iid, "\"" + aud + "\"",
                iat, exp, Base64Url.encode(Arrays.copyOf(sha256("jwt/jti"), 15)))), iat, device, "JTI");
        addJwt(vectors, "jti-padded", DeviceJwt.signP1363(device.getPrivate(), header, claims(iid, iid, "\"" + aud + "\"",
                iat, exp, jti + "==")), iat, device, "JTI");
        addJwt(vectors, "duplicate-claim", DeviceJwt.signP1363(device.getPrivate(), header, claims.replace("{\"iss\"",
                "{\"aud\":\"countersign-otp\",\"iss\"")), iat, device, "MALFORMED");
        addJwt(vectors, "duplicate-header-member", DeviceJwt.signP1363(device.getPrivate(), header.replace("{\"alg\":\"ES256\"",
                "{\"alg\":\"none\",\"alg\":\"ES256\""), claims), iat, device, "MALFORMED");
        addJwt(vectors, "padded-base64url", parts[0] + "." + parts[1] + "==." + parts[2], iat, device, "MALFORMED");
        addJwt(vectors, "standard-base64-alphabet", parts[0] + "." + parts[1] + "." + parts[2].replace('-', '+').replace('_', '/')
                + (parts[2].contains("-") || parts[2].contains("_") ? "" : "+"), iat, device, "MALFORMED");
        addJwt(vectors, "two-parts", parts[0] + "." + parts[1], iat, device, "MALFORMED");
        addJwt(vectors, "four-parts", standard + ".", iat, device, "MALFORMED");
        addJwt(vectors, "claims-not-an-object", DeviceJwt.signP1363(device.getPrivate(), header, "[" + claims + "]"), iat, device,
                "MALFORMED");
        addJwt(vectors, "claims-with-byte-order-mark", DeviceJwt.signP1363(device.getPrivate(), header, "\ufeff" + claims), iat,
                device, "MALFORMED");
        addJwt(vectors, "white-space-around-token", " " + standard, iat, device, "MALFORMED");
        return file;
    }

    private static String claims(String iss, String sub, String audJson, long iat, long exp, String jti) {
        return "{\"iss\":\"" + iss + "\",\"sub\":\"" + sub + "\",\"aud\":" + audJson + ",\"iat\":" + iat + ",\"exp\":" + exp
                + ",\"jti\":\"" + jti + "\"}";
    }

    private static void addJwt(ArrayNode vectors, String id, String token, long now, KeyPair device, String reason) {
        ObjectNode v = vectors.addObject();
        v.put("id", id);
        v.put("token", token);
        v.put("now", now);
        try {
            DeviceToken verified = DeviceToken.verify(token, (ECPublicKey) device.getPublic(), DeviceToken.PUSH_AUDIENCE,
                    java.time.Instant.ofEpochSecond(now));
            if (reason != null) {
                throw new IllegalStateException(id + " was accepted");
            }
            ObjectNode expect = v.putObject("accepted");
            expect.put("iid", verified.instanceId());
            expect.put("jti", verified.jti());
            expect.put("iat", verified.issuedAt());
            expect.put("exp", verified.expiresAt());
        } catch (InvalidDeviceTokenException e) {
            if (!e.reason().name().equals(reason)) {
                throw new IllegalStateException(id + ": expected " + reason + " but got " + e.reason());
            }
            v.put("refused", reason);
        }
    }

    private static String hs256(String iid, String claims) {
        String signed = Base64Url.encode(utf8("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + iid + "\"}")) + "."
                + Base64Url.encode(utf8(claims));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sha256("jwt/hs256-key"), "HmacSHA256"));
            return signed + "." + Base64Url.encode(mac.doFinal(utf8(signed)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rs256(String iid, String claims) {
        String signed = Base64Url.encode(utf8("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + iid + "\"}")) + "."
                + Base64Url.encode(utf8(claims));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(Csrs.rsa().getPrivate());
            signature.update(utf8(signed));
            return signed + "." + Base64Url.encode(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- push signature

    private static ObjectNode pushSignature() {
        ObjectNode file = JSON.createObjectNode();
        file.put("source", SOURCE);
        file.put("spec", "docs/protocol.md, section Push requests");
        KeyPair device = P256Curve.keyPair(scalar("push/device-key"));
        file.put("deviceKey", HEX.formatHex(P256Curve.fixed32(scalar("push/device-key"))));
        file.put("devicePublicKey", HEX.formatHex(P256.encodePoint((ECPublicKey) device.getPublic())));
        ArrayNode vectors = file.putArray("vectors");
        String c1 = Base64Url.encode(sha256("push/challenge-1"));
        ObjectNode first = push(vectors, device, "approve-with-number", "9b2f6a4e-3c1d-4e5f-8a7b-6c5d4e3f2a1b", c1,
                "Log in to Example Bank", List.of(new TransactionField("Browser", "Firefox on Linux"),
                        new TransactionField("Location", "Zürich, CH")), PushDecision.APPROVE, 42, "inst-0400");
        push(vectors, device, "deny-without-number", "req-2", Base64Url.encode(sha256("push/challenge-2")),
                "Approve the payment", List.of(new TransactionField("Amount", "EUR 1,250.00"),
                        new TransactionField("Payee", "ACME | Corp")), PushDecision.DENY, null, "inst-0400");
        push(vectors, device, "approve-no-fields-number-zero", "R", Base64Url.encode(sha256("push/challenge-3")), "", List.of(),
                PushDecision.APPROVE, 0, "I");
        push(vectors, device, "longest-ids-large-number", "q".repeat(64), Base64Url.encode(sha256("push/challenge-4")),
                "Überweisung 🙂\nzweite Zeile", List.of(new TransactionField("", "=")), PushDecision.APPROVE, 2147483647, "I-".repeat(32));

        // Refusals of the first vector's answer, and one variant that is accepted on purpose.
        ObjectNode in = (ObjectNode) first.get("input");
        String dataHash = first.get("output").get("dataHash").asText();
        String signature = first.get("output").get("signature").asText();
        byte[] der = Base64Url.decode(signature);
        BigInteger[] rs = Ecdsa.decodeDer(der);
        BigInteger n = P256Curve.order();
        ArrayNode variants = file.putArray("signatureVariants");
        addPushVariant(variants, device, in, dataHash, "s-replaced-by-n-minus-s", Base64Url.encode(Ecdsa.encodeDer(rs[0], n.subtract(rs[1]))),
                PushDecision.APPROVE, 42, true);
        addPushVariant(variants, device, in, dataHash, "decision-changed", signature, PushDecision.DENY, 42, false);
        addPushVariant(variants, device, in, dataHash, "number-changed", signature, PushDecision.APPROVE, 43, false);
        addPushVariant(variants, device, in, dataHash, "number-dropped", signature, PushDecision.APPROVE, null, false);
        addPushVariant(variants, device, in, dataHash, "trailing-zero-byte", Base64Url.encode(concat(der, new byte[] {0})),
                PushDecision.APPROVE, 42, false);
        byte[] longForm = new byte[der.length + 1];
        longForm[0] = 0x30;
        longForm[1] = (byte) 0x81;
        System.arraycopy(der, 1, longForm, 2, der.length - 1);
        addPushVariant(variants, device, in, dataHash, "ber-long-form-length", Base64Url.encode(longForm), PushDecision.APPROVE, 42, false);
        addPushVariant(variants, device, in, dataHash, "r-with-needless-leading-zero", Base64Url.encode(leadingZeroR(rs[0], rs[1])),
                PushDecision.APPROVE, 42, false);
        addPushVariant(variants, device, in, dataHash, "p1363-instead-of-der", Base64Url.encode(concat(P256Curve.fixed32(rs[0]),
                P256Curve.fixed32(rs[1]))), PushDecision.APPROVE, 42, false);
        addPushVariant(variants, device, in, dataHash, "padded-base64url", signature + "=", PushDecision.APPROVE, 42, false);
        addPushVariant(variants, device, in, dataHash, "r-plus-n", Base64Url.encode(Ecdsa.encodeDer(rs[0].add(n), rs[1])),
                PushDecision.APPROVE, 42, false);
        return file;
    }

    private static ObjectNode push(ArrayNode vectors, KeyPair device, String id, String requestId, String challenge, String message,
                                   List<TransactionField> fields, PushDecision decision, Integer number, String iid) {
        TransactionData data = new TransactionData(message, fields);
        ObjectNode v = vectors.addObject();
        v.put("id", id);
        ObjectNode in = v.putObject("input");
        in.put("requestId", requestId);
        in.put("challenge", challenge);
        in.put("message", message);
        ArrayNode f = in.putArray("fields");
        for (TransactionField field : fields) {
            f.addObject().put("name", field.name()).put("value", field.value());
        }
        in.put("decision", decision.wire());
        if (number != null) {
            in.put("selectedNumber", number);
        }
        in.put("iid", iid);
        ObjectNode out = v.putObject("output");
        out.put("dataHash", data.dataHash());
        out.put("signedText", new String(PushResponseSignature.message(requestId, challenge, data.dataHash(), decision, number, iid),
                StandardCharsets.UTF_8));
        out.put("signature", PushResponseSignature.sign(device.getPrivate(), requestId, challenge, data.dataHash(), decision, number, iid));
        return v;
    }

    private static void addPushVariant(ArrayNode variants, KeyPair device, ObjectNode in, String dataHash, String id, String signature,
                                       PushDecision decision, Integer number, boolean accepted) {
        boolean actual = true;
        try {
            PushResponseSignature.verify((ECPublicKey) device.getPublic(), in.get("requestId").asText(), in.get("challenge").asText(),
                    dataHash, decision, number, in.get("iid").asText(), signature);
        } catch (InvalidSignatureException e) {
            actual = false;
        }
        if (actual != accepted) {
            throw new IllegalStateException(id);
        }
        ObjectNode v = variants.addObject();
        v.put("id", id);
        v.put("decision", decision.wire());
        if (number != null) {
            v.put("selectedNumber", number);
        }
        v.put("signature", signature);
        v.put(accepted ? "accepted" : "refused", true);
    }

    private static byte[] leadingZeroR(BigInteger r, BigInteger s) {
        byte[] rBytes = r.toByteArray();
        byte[] padded = concat(new byte[] {0}, rBytes);
        byte[] sBytes = s.toByteArray();
        byte[] body = concat(concat(new byte[] {2, (byte) padded.length}, padded), concat(new byte[] {2, (byte) sBytes.length}, sBytes));
        return concat(new byte[] {0x30, (byte) body.length}, body);
    }

    // ---------------------------------------------------------------- otpauth

    private static ObjectNode otpauth() {
        ObjectNode file = JSON.createObjectNode();
        file.put("source", SOURCE);
        file.put("spec", "Google Authenticator Key Uri Format, with the choices of docs/protocol.md");
        ArrayNode writes = file.putArray("vectors");
        addOtpauthWrite(writes, "default", "Example Bank", "alice@example.com", 20, "totp:sha1:6:30");
        addOtpauthWrite(writes, "colons-and-spaces", "ACME: Online", "bob:work space", 20, "totp:sha256:8:60");
        addOtpauthWrite(writes, "non-ascii-and-reserved", "Ünïcødé & Co + 100%/?#", "zoë+test@example.org", 32, "totp:sha512:7:15");
        addOtpauthWrite(writes, "no-issuer-16-byte-key", null, "carol", 16, "totp:sha1:6:30");
        ArrayNode parses = file.putArray("parsing");
        byte[] key = Arrays.copyOf(sha256("otpauth/default"), 20);
        String b32 = Base32.encode(key);
        addOtpauthParse(parses, "google-example", "otpauth://totp/Example:alice@google.com?secret=" + b32 + "&issuer=Example");
        addOtpauthParse(parses, "defaults-when-absent", "otpauth://totp/ACME%20Co:john.doe@email.com?secret=" + b32);
        addOtpauthParse(parses, "any-order-lower-case-algorithm", "otpauth://totp/Big%20Corp:%20john?period=60&digits=8&algorithm=sha256&issuer=Big%20Corp&secret=" + b32);
        addOtpauthParse(parses, "encoded-separator", "otpauth://totp/Example%3Aalice?secret=" + b32 + "&issuer=Example");
        addOtpauthParse(parses, "lower-case-padded-secret", "otpauth://totp/alice?secret=" + Base32.encode(Arrays.copyOf(key, 16)).toLowerCase() + "======");
        addOtpauthParse(parses, "upper-case-scheme-and-type", "OTPAUTH://TOTP/Example:alice?secret=" + b32);
        addOtpauthParse(parses, "unknown-parameters-ignored", "otpauth://totp/Example:alice?secret=" + b32 + "&image=https%3A%2F%2Fexample.com%2Fl.png&counter=5");
        addOtpauthParse(parses, "hotp", "otpauth://hotp/Example:alice?secret=" + b32 + "&counter=0");
        addOtpauthParse(parses, "secret-missing", "otpauth://totp/Example:alice?issuer=Example");
        addOtpauthParse(parses, "secret-not-base32", "otpauth://totp/Example:alice?secret=" + b32.replace('A', '1').replace('B', '8') + "8");
        addOtpauthParse(parses, "secret-10-bytes", "otpauth://totp/Example:alice?secret=" + Base32.encode(Arrays.copyOf(key, 10)));
        addOtpauthParse(parses, "issuers-differ", "otpauth://totp/Example:alice?secret=" + b32 + "&issuer=Other");
        addOtpauthParse(parses, "digits-9", "otpauth://totp/alice?secret=" + b32 + "&digits=9");
        addOtpauthParse(parses, "period-zero", "otpauth://totp/alice?secret=" + b32 + "&period=0");
        addOtpauthParse(parses, "algorithm-md5", "otpauth://totp/alice?secret=" + b32 + "&algorithm=MD5");
        addOtpauthParse(parses, "duplicate-parameter", "otpauth://totp/alice?secret=" + b32 + "&secret=" + b32);
        addOtpauthParse(parses, "empty-account", "otpauth://totp/Example:?secret=" + b32);
        addOtpauthParse(parses, "raw-space", "otpauth://totp/Example Bank:alice?secret=" + b32);
        return file;
    }

    private static void addOtpauthWrite(ArrayNode writes, String id, String issuer, String account, int keyLength, String policy) {
        byte[] key = Arrays.copyOf(sha256("otpauth/" + id), keyLength);
        ObjectNode v = writes.addObject();
        v.put("id", id);
        ObjectNode in = v.putObject("input");
        if (issuer != null) {
            in.put("issuer", issuer);
        }
        in.put("account", account);
        in.put("secret", HEX.formatHex(key));
        in.put("otp", policy);
        v.putObject("output").put("uri", OtpAuthUri.write(issuer, account, Secret.copyOf(key), OtpPolicy.parse(policy)));
    }

    private static void addOtpauthParse(ArrayNode parses, String id, String uri) {
        ObjectNode v = parses.addObject();
        v.put("id", id);
        v.put("uri", uri);
        try {
            OtpAuthUri parsed = OtpAuthUri.parse(uri);
            if (parsed.issuer() != null) {
                v.put("issuer", parsed.issuer());
            }
            v.put("account", parsed.account());
            v.put("secret", HEX.formatHex(parsed.secret().reveal()));
            v.put("otp", parsed.policy().format());
        } catch (MalformedMessageException e) {
            v.put("refused", true);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A private scalar in [1, n-1] from a label. */
    static BigInteger scalar(String label) {
        return new BigInteger(1, sha256(label)).mod(P256Curve.order().subtract(BigInteger.ONE)).add(BigInteger.ONE);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] sha256(String label) {
        return OfflineActivationVectorGenerator.sha256(label);
    }
}
