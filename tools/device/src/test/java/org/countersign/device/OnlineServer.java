package org.countersign.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.countersign.protocol.DeviceToken;
import org.countersign.protocol.EnrolmentRequest;
import org.countersign.protocol.InstanceKeys;
import org.countersign.protocol.InvalidCodeException;
import org.countersign.protocol.InvalidDeviceTokenException;
import org.countersign.protocol.InvalidEnrolmentException;
import org.countersign.protocol.InvalidSignatureException;
import org.countersign.protocol.OnlineConfirmation;
import org.countersign.protocol.OtpPolicy;
import org.countersign.protocol.P256;
import org.countersign.protocol.ProtocolUris;
import org.countersign.protocol.SealedInstanceSecret;
import org.countersign.secrets.Secret;
import org.countersign.protocol.VerifiedEnrolment;

/**
 * The server side of online activation for the tests, over a real HTTP server on loopback (the
 * JDK's {@code com.sun.net.httpserver}), with libs/protocol's server functions only:
 * {@link EnrolmentRequest#verify}, {@link SealedInstanceSecret#seal}, {@link OnlineConfirmation}'s
 * checks, and {@link DeviceToken#verify} for {@code GET /api/v1/devices/me}. A tiny CA made with
 * BouncyCastle issues the device certificates as provisioning-service's does (CN=sn, CA:false,
 * digitalSignature, backdated a minute). Errors are problem+json like the real service's.
 *
 * <p>{@link #misbehave} makes the next enrolment or confirmation answer wrongly, for the device's refusals.
 */
final class OnlineServer implements AutoCloseable {

    /** How the server misbehaves on the next call it applies to. */
    enum Misbehaviour {
        NONE(false),
        /** The certificate is issued for another key than the CSR's. */
        CERTIFICATE_FOR_ANOTHER_KEY(false),
        /** The certificate is issued by another CA (same name, other key) than the caCertificate sent. */
        ANOTHER_CA(false),
        /** The certificate's subject is another serial number. */
        WRONG_SUBJECT(false),
        /** One byte of {@code c} flipped. */
        TAMPERED_SECRET(false),
        /** A migration answer that carries a new IS anyway. */
        SECRET_IN_MIGRATION(false),
        /** The confirmation activates the instance, but its answer is lost (HTTP 502). */
        LOSE_CONFIRMATION_ANSWER(true),
        /** The confirmation fails with 503 without activating anything. */
        CONFIRMATION_UNAVAILABLE(true);

        /** Whether it applies to the confirmation rather than the enrolment. */
        final boolean atConfirmation;

        Misbehaviour(boolean atConfirmation) {
            this.atConfirmation = atConfirmation;
        }
    }

    static final String PUSH_CHANNEL = "ws://127.0.0.1:1/api/v1/devices/channel";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One registration of type online or migrate, and what became of it. */
    static final class Registration {
        final String rid;
        final String sn;
        final Secret ap = Secret.random(20);
        final OtpPolicy otp;
        final String migratedIid;
        final Secret migratedSecret;
        String state = "pending";
        VerifiedEnrolment verified;
        String iid;
        Secret is;
        JsonNode request;

        Registration(String rid, String sn, OtpPolicy otp, String migratedIid, Secret migratedSecret) {
            this.rid = rid;
            this.sn = sn;
            this.otp = otp;
            this.migratedIid = migratedIid;
            this.migratedSecret = migratedSecret;
        }
    }

    private final HttpServer http;
    private final KeyPair caKey = P256.generateKeyPair();
    private final X509Certificate ca = caCertificate(caKey, "CN=Countersign test device CA");
    private final Map<String, Registration> registrations = new ConcurrentHashMap<>();
    /** Active online instances: their device keys, by iid. */
    private final Map<String, ECPublicKey> activeKeys = new ConcurrentHashMap<>();
    private final Set<String> seenJtis = ConcurrentHashMap.newKeySet();
    private final AtomicInteger instanceCount = new AtomicInteger();
    final AtomicInteger enrolmentPosts = new AtomicInteger();
    final AtomicInteger confirmationPosts = new AtomicInteger();
    private volatile Misbehaviour misbehaviour = Misbehaviour.NONE;

    OnlineServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/api/v1/online-activations", this::activations);
        http.createContext("/api/v1/devices/me", this::me);
        http.start();
    }

    /** The base URL the enrolment codes carry, with a trailing slash (which the device drops). */
    String baseUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/";
    }

    /** Register, type online: the enrolment code. */
    String registerOnline(String rid, String sn, OtpPolicy otp, String issuer, String account) {
        Registration registration = new Registration(rid, sn, otp, null, null);
        registrations.put(rid, registration);
        return ProtocolUris.enrolment(baseUrl(), rid, sn, registration.ap, issuer, account, null);
    }

    /** Register, type migrate, for the instance the offline {@code server} activated: the enrolment code with its iid. */
    String registerMigration(String rid, Server offline, String issuer, String account) {
        Registration registration = new Registration(rid, offline.sn, offline.otp, offline.iid, offline.instanceSecret());
        registrations.put(rid, registration);
        return ProtocolUris.enrolment(baseUrl(), rid, offline.sn, registration.ap, issuer, account, offline.iid);
    }

    Registration registration(String rid) {
        return registrations.get(rid);
    }

    void misbehave(Misbehaviour how) {
        misbehaviour = how;
    }

    X509Certificate ca() {
        return ca;
    }

    /** A certificate of this server's CA for {@code key}, subject CN=sn, valid for a year from a minute ago. */
    byte[] issueFor(PublicKey key, String sn) {
        try {
            return issue(caKey, ca, "CN=" + sn, key).getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the instance is active online, with the key the device enrolled. */
    ECPublicKey activeKey(String iid) {
        return activeKeys.get(iid);
    }

    /** A device token, checked as a server checks it (signature, claims, lifetime); the jti is not remembered here. */
    DeviceToken verifyToken(String token, Instant now) {
        return DeviceToken.verify(token, DeviceToken.PUSH_AUDIENCE, now, activeKeys::get);
    }

    @Override
    public void close() {
        http.stop(0);
    }

    // ---- the routes ----

    private void activations(HttpExchange exchange) throws IOException {
        try {
            route(exchange);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException(e);
        }
    }

    private void route(HttpExchange exchange) throws IOException, java.security.cert.CertificateEncodingException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!exchange.getRequestMethod().equals("POST")) {
                problem(exchange, 405, "method-not-allowed", "POST only");
            } else if (path.equals("/api/v1/online-activations")) {
                enrol(exchange, JSON.readTree(body(exchange)));
            } else if (path.matches("/api/v1/online-activations/[A-Za-z0-9-]+/confirm")) {
                confirm(exchange, path.split("/")[4], JSON.readTree(body(exchange)));
            } else {
                problem(exchange, 404, "not-found", "No such route");
            }
        }
    }

    private void enrol(HttpExchange exchange, JsonNode request) throws IOException, java.security.cert.CertificateEncodingException {
        enrolmentPosts.incrementAndGet();
        Registration registration = registrations.get(request.path("registrationId").asText());
        if (registration == null) {
            problem(exchange, 404, "unknown-registration", "No registration " + request.path("registrationId").asText());
            return;
        }
        if (!request.path("platform").asText().matches("android|ios|web|other") || !request.path("biometric").isBoolean()) {
            problem(exchange, 400, "validation", "Request validation failed");
            return;
        }
        if (!registration.state.equals("pending")) {
            problem(exchange, 409, "activation-state-conflict", "The registration is already enrolled");
            return;
        }
        VerifiedEnrolment verified;
        try {
            verified = EnrolmentRequest.verify(registration.ap, registration.rid, registration.sn, request.path("csr").asText(null),
                    request.path("proof").asText(null));
        } catch (InvalidEnrolmentException e) {
            if (e.reason() == InvalidEnrolmentException.Reason.PROOF) {
                problem(exchange, 422, "wrong-activation-proof", "The enrolment proof is wrong (attempts left: 4)");
            } else {
                problem(exchange, 400, "invalid-csr", "The CSR is refused: " + e.reason());
            }
            return;
        }
        registration.request = request;
        registration.verified = verified;
        registration.state = "enrolled";
        boolean migration = registration.migratedIid != null;
        registration.iid = migration ? registration.migratedIid : "inst-" + instanceCount.incrementAndGet();
        registration.is = migration ? registration.migratedSecret : Secret.random(32);

        Misbehaviour how = take(false);
        PublicKey certified = how == Misbehaviour.CERTIFICATE_FOR_ANOTHER_KEY ? P256.generateKeyPair().getPublic()
                : verified.devicePublicKey();
        KeyPair signer = how == Misbehaviour.ANOTHER_CA ? P256.generateKeyPair() : caKey;
        String subject = how == Misbehaviour.WRONG_SUBJECT ? "CN=" + registration.sn + "X" : "CN=" + registration.sn;
        X509Certificate certificate = issue(signer, ca, subject, certified);

        ObjectNode answer = JSON.createObjectNode().put("instanceId", registration.iid)
                .put("certificate", base64url(certificate.getEncoded()))
                .put("caCertificate", base64url(ca.getEncoded()))
                .put("otp", registration.otp.format());
        if (!migration || how == Misbehaviour.SECRET_IN_MIGRATION) {
            SealedInstanceSecret sealed = SealedInstanceSecret.seal(verified, registration.iid, registration.otp, registration.is);
            String c = sealed.c();
            if (how == Misbehaviour.TAMPERED_SECRET) {
                byte[] bytes = Base64.getUrlDecoder().decode(c);
                bytes[3] ^= 1;
                c = base64url(bytes);
            }
            answer.put("epk", sealed.epk()).put("n", sealed.n()).put("c", c);
        }
        answer.put("pushChannel", PUSH_CHANNEL);
        json(exchange, 201, answer);
    }

    private void confirm(HttpExchange exchange, String rid, JsonNode request) throws IOException {
        confirmationPosts.incrementAndGet();
        Registration registration = registrations.get(rid);
        if (registration == null) {
            problem(exchange, 404, "unknown-registration", "No registration " + rid);
            return;
        }
        if (!registration.state.equals("enrolled")) {
            problem(exchange, 409, "activation-state-conflict", "The registration is " + registration.state + ", not enrolled");
            return;
        }
        Misbehaviour how = take(true);
        if (how == Misbehaviour.CONFIRMATION_UNAVAILABLE) {
            problem(exchange, 503, "service-unavailable", "Try again in a moment");
            return;
        }
        String code = request.path("code").asText(null);
        try {
            if (!registration.iid.equals(request.path("instanceId").asText())) {
                throw new InvalidCodeException();
            }
            OnlineConfirmation.verifyCode(InstanceKeys.of(registration.is), rid, registration.iid, registration.verified.h(), code);
            OnlineConfirmation.verifySignature(registration.verified.devicePublicKey(), rid, registration.iid, code,
                    request.path("signature").asText(null));
        } catch (InvalidCodeException | InvalidSignatureException | IllegalArgumentException e) {
            problem(exchange, 422, "wrong-activation-signature", "The confirmation code or signature is wrong");
            return;
        }
        registration.state = "active";
        activeKeys.put(registration.iid, registration.verified.devicePublicKey());
        if (how == Misbehaviour.LOSE_CONFIRMATION_ANSWER) {
            problem(exchange, 502, "bad-gateway", "The answer was lost on the way");
            return;
        }
        json(exchange, 200, JSON.createObjectNode().put("instanceId", registration.iid).put("mode", "online")
                .put("status", "active"));
    }

    private void me(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            DeviceToken token;
            try {
                token = verifyToken(authorization == null ? "" : authorization.replaceFirst("^Bearer ", ""), Instant.now());
                if (!seenJtis.add(token.jti())) {
                    throw new InvalidDeviceTokenException(InvalidDeviceTokenException.Reason.MALFORMED);
                }
            } catch (InvalidDeviceTokenException e) {
                problem(exchange, 401, "invalid-device-token", "No valid device token");
                return;
            }
            json(exchange, 200, JSON.createObjectNode().put("instanceId", token.instanceId()).put("mode", "online")
                    .put("status", "active"));
        }
    }

    /** The misbehaviour asked for, once, if it applies to this step. */
    private synchronized Misbehaviour take(boolean atConfirmation) {
        Misbehaviour how = misbehaviour;
        if (how == Misbehaviour.NONE || how.atConfirmation != atConfirmation) {
            return Misbehaviour.NONE;
        }
        misbehaviour = Misbehaviour.NONE;
        return how;
    }

    // ---- HTTP and the CA ----

    private static byte[] body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void problem(HttpExchange exchange, int status, String slug, String detail) throws IOException {
        ObjectNode problem = JSON.createObjectNode().put("type", "https://countersign.org/problems/" + slug)
                .put("title", slug).put("status", status).put("detail", detail);
        send(exchange, status, "application/problem+json", JSON.writeValueAsBytes(problem));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A self-signed P-256 CA certificate, valid for ten years. */
    static X509Certificate caCertificate(KeyPair key, String name) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(name), BigInteger.ONE,
                    Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(3650, ChronoUnit.DAYS)), new X500Name(name),
                    key.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A device certificate as provisioning-service issues it, signed with {@code signer} in the name of {@code issuer}. */
    static X509Certificate issue(KeyPair signer, X509Certificate issuer, String subject, PublicKey key) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(1, org.countersign.secrets.Randomness.bytes(16)).setBit(0), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(365, ChronoUnit.DAYS)), new X500Name(subject), key);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client for the tests' own calls (the device's token on {@code /api/v1/devices/me}). */
    int getMe(String token) throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "api/v1/devices/me"))
                        .header("Authorization", "Bearer " + token).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return response.statusCode();
    }
}
