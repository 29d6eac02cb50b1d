package org.countersign.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.countersign.secrets.Aead;
import org.countersign.protocol.EnrolmentMessage;
import org.countersign.protocol.EnrolmentRequest;
import org.countersign.protocol.InstanceKeys;
import org.countersign.protocol.MalformedMessageException;
import org.countersign.protocol.OnlineConfirmation;
import org.countersign.protocol.OtpPolicy;
import org.countersign.protocol.P256;
import org.countersign.protocol.ProtocolUris;
import org.countersign.protocol.SealedInstanceSecret;
import org.countersign.secrets.Secret;

/**
 * The online side of protocol.md ("Online activation"), as a mobile app does it: read the
 * enrolment code, make a P-256 key, post the CSR and proof, check the answer (the certificate is
 * for our key and serial number and chains to the CA certificate sent with it; {@code IS} opens),
 * keep the profile, then confirm with the code and the key's signature. A migration does the same
 * for an active offline profile, which keeps its {@code IS}, instance id and OTPs.
 *
 * <p>The profile is saved as soon as the answer was checked and before the confirmation is sent,
 * because the server accepts one enrolment per registration: if the confirmation fails on the way
 * (the network, the server restarting), running the same command again with the same code retries
 * only the confirmation, with the same key.
 */
final class OnlineEnrolment {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final String DEVICES_ME = "/api/v1/devices/me";

    /**
     * @param again true when the profile was already activated by this enrolment code before
     *     (nothing was sent); false when this call activated it
     */
    record Enrolled(Profile profile, boolean again) {
    }

    private final ProfileStore store;
    private final Clock clock;
    private final ProvisioningClient server;

    OnlineEnrolment(ProfileStore store, Clock clock, ProvisioningClient server) {
        this.store = store;
        this.clock = clock;
        this.server = server;
    }

    // ---- a new online instance ----

    Enrolled enroll(String uri, String profileName, EnrolmentOptions options) {
        EnrolmentMessage enrolment = parse(uri);
        if (enrolment.isMigration()) {
            throw new DeviceException(DeviceException.Kind.USAGE, "This enrolment code moves the existing instance "
                    + enrolment.instanceId() + " online: use it with migrate, not enroll.");
        }
        String name = profileName == null ? enrolment.sn() : Profile.requireName(profileName);
        Profile existing = store.find(name).orElse(null);
        if (existing != null && existing.online() != null && existing.online().registrationId().equals(enrolment.rid())) {
            if (existing.isActive()) {
                return new Enrolled(existing, true);
            }
            return new Enrolled(confirm(existing, enrolment, true), false);
        }
        refuseToReplace(existing, name);

        KeyPair keys = P256.generateKeyPair();
        EnrolmentRequest request = EnrolmentRequest.create(enrolment, keys);
        JsonNode answer = server.post(enrolment.activationsUrl(), body(request, options), 201, "the enrolment");
        Answer checked = check(answer, enrolment, keys, request);
        Secret is;
        try {
            is = checked.sealed().open(keys.getPrivate(), request.csr(), enrolment.rid(), checked.iid(), checked.otp());
        } catch (Aead.AeadException e) {
            throw refusedAnswer("the instance secret does not decrypt with this device's key (the GCM tag fails): "
                    + "the answer was made for another key, CSR, registration, instance or OTP policy, or was tampered with");
        }
        Instant now = clock.instant();
        OnlineIdentity identity = identity(enrolment, options, checked, keys, now);
        Profile enrolling = Profile.enrolling(name, enrolment.sn(), enrolment.rid(), enrolment.issuer(), enrolment.account(),
                checked.iid(), checked.otp(), is, identity, now);
        store.update(profiles -> {
            refuseToReplace(profiles.get(name), name);
            return profiles.put(name, enrolling);
        });
        return new Enrolled(confirm(enrolling, enrolment, false), false);
    }

    /** A profile of that name may be replaced only when it is not active (pending offline, or another enrolment). */
    private static void refuseToReplace(Profile existing, String name) {
        if (existing != null && existing.isActive()) {
            throw new DeviceException(DeviceException.Kind.USAGE, "Profile " + name + " is already active (instance "
                    + existing.iid() + ", " + existing.mode().name().toLowerCase(java.util.Locale.ROOT) + "). Remove it first "
                    + "(remove " + name + "), or enrol into another profile with --profile NAME.");
        }
    }

    // ---- an offline instance moves online ----

    Enrolled migrate(String uri, String profileName, EnrolmentOptions options) {
        EnrolmentMessage enrolment = parse(uri);
        if (!enrolment.isMigration()) {
            throw new DeviceException(DeviceException.Kind.USAGE, "This enrolment code is for a new online instance, not for "
                    + "moving an existing one online (it names no instance): use it with enroll.");
        }
        Profile profile = migrating(store.list(), profileName, enrolment);
        OnlineIdentity online = profile.online();
        if (online != null && online.registrationId().equals(enrolment.rid())) {
            if (online.isConfirmed()) {
                return new Enrolled(profile, true);
            }
            return new Enrolled(confirm(profile, enrolment, true), false);
        }
        if (profile.isOnline()) {
            throw new DeviceException(DeviceException.Kind.USAGE, "Profile " + profile.name() + " is already online (instance "
                    + profile.iid() + ", since registration " + online.registrationId() + ").");
        }

        KeyPair keys = P256.generateKeyPair();
        EnrolmentRequest request = EnrolmentRequest.create(enrolment, keys);
        JsonNode answer = server.post(enrolment.activationsUrl(), body(request, options), 201, "the migration");
        Answer checked = check(answer, enrolment, keys, request);
        if (!checked.otp().equals(profile.otp())) {
            throw refusedAnswer("its OTP policy " + checked.otp().format() + " is not this instance's (" + profile.otp().format()
                    + ")");
        }
        OnlineIdentity identity = identity(enrolment, options, checked, keys, clock.instant());
        Profile withKey = store.update(profiles -> {
            Profile current = profiles.get(profile.name());
            if (current == null || !current.isActive() || !current.iid().equals(profile.iid()) || current.isOnline()) {
                throw new DeviceException(DeviceException.Kind.USAGE, "Profile " + profile.name() + " changed meanwhile; "
                        + "nothing was saved.");
            }
            Profile changed = current.withOnline(identity, clock.instant());
            profiles.put(changed.name(), changed);
            return changed;
        });
        return new Enrolled(confirm(withKey, enrolment, false), false);
    }

    /** The active offline profile that holds the instance the code names, with the same serial number. */
    private static Profile migrating(List<Profile> all, String profileName, EnrolmentMessage enrolment) {
        String iid = enrolment.instanceId();
        if (profileName != null) {
            Profile named = DeviceSimulator.named(byName(all), Profile.requireName(profileName));
            if (!named.isActive() || !iid.equals(named.iid()) || !enrolment.sn().equals(named.sn())) {
                throw new DeviceException(DeviceException.Kind.USAGE, "Profile " + named.name() + " is not the instance this "
                        + "code moves online (instance " + iid + ", serial " + enrolment.sn() + "); it is "
                        + (named.isActive() ? "instance " + named.iid() + ", serial " + named.sn() : "not active") + ".");
            }
            return named;
        }
        List<Profile> matching = all.stream()
                .filter(p -> p.isActive() && iid.equals(p.iid()) && enrolment.sn().equals(p.sn())).toList();
        if (matching.isEmpty()) {
            throw new DeviceException(DeviceException.Kind.USAGE, "No active profile on this device holds instance " + iid
                    + " (serial " + enrolment.sn() + "): migrate moves an instance that this device activated offline"
                    + (all.isEmpty() ? " (there are no profiles)." : " (profiles: " + DeviceSimulator.describe(all) + ")."));
        }
        if (matching.size() > 1) {
            throw new DeviceException(DeviceException.Kind.USAGE, "Several profiles hold instance " + iid + " ("
                    + DeviceSimulator.names(matching) + "): choose one with --profile NAME.");
        }
        return matching.get(0);
    }

    private static Map<String, Profile> byName(List<Profile> all) {
        Map<String, Profile> map = new java.util.LinkedHashMap<>();
        all.forEach(p -> map.put(p.name(), p));
        return map;
    }

    // ---- confirmation ----

    /**
     * Sends the code and signature; on success the profile's online identity is confirmed (and an
     * enrolling profile becomes active).
     *
     * @param retry whether an earlier run got this far: a 409 may then mean that the server did
     *     confirm and its answer was lost, which the device's own view ({@code GET /api/v1/devices/me}) tells
     */
    private Profile confirm(Profile profile, EnrolmentMessage enrolment, boolean retry) {
        OnlineIdentity online = profile.online();
        String rid = enrolment.rid();
        String code = OnlineConfirmation.code(profile.keys(), rid, profile.iid(), online.csrHash());
        String signature = OnlineConfirmation.sign(online.privateKey(), rid, profile.iid(), code);
        ObjectNode body = ProvisioningClient.object().put("instanceId", profile.iid()).put("code", code).put("signature", signature);
        try {
            JsonNode answer = server.post(enrolment.confirmationUrl(), body, 200, "the confirmation");
            JsonNode iid = answer.get("instanceId");
            if (iid != null && !profile.iid().equals(iid.asText())) {
                throw new DeviceException(DeviceException.Kind.SERVER, "The server confirmed instance " + Display.safe(iid.asText())
                        + ", not " + profile.iid() + "; profile " + profile.name() + " is left unconfirmed.");
            }
        } catch (DeviceException e) {
            if (e.kind() == DeviceException.Kind.SERVER && retry && e.getMessage().contains("HTTP 409") && activeOnServer(profile)) {
                return saveConfirmed(profile);
            }
            if (e.kind() != DeviceException.Kind.SERVER) {
                throw e;
            }
            throw new DeviceException(DeviceException.Kind.SERVER, sentence(e.getMessage()) + " Profile " + profile.name() + " keeps the "
                    + "device key: run the same command with the same code again to retry the confirmation"
                    + (profile.state() == Profile.State.ENROLLING ? ", or remove " + profile.name() + "." : "."), e);
        }
        return saveConfirmed(profile);
    }

    private Profile saveConfirmed(Profile profile) {
        Instant now = clock.instant();
        return store.update(profiles -> {
            Profile current = profiles.get(profile.name());
            if (current == null || current.online() == null || !sameKey(current.online(), profile.online())) {
                throw new DeviceException(DeviceException.Kind.USAGE, "Profile " + profile.name() + " changed meanwhile; "
                        + "the server confirmed instance " + profile.iid() + " for the key it had.");
            }
            Profile confirmed = current.withOnline(current.online().confirmed(now), now);
            profiles.put(confirmed.name(), confirmed);
            return confirmed;
        });
    }

    private static boolean sameKey(OnlineIdentity a, OnlineIdentity b) {
        return Arrays.equals(a.certificateDer(), b.certificateDer());
    }

    /** Whether the server shows the instance active online, asked with the device's own token. */
    private boolean activeOnServer(Profile profile) {
        try {
            String token = DeviceTokens.sign(profile, DeviceTokens.DEFAULT_AUDIENCE, DeviceTokens.DEFAULT_TTL_SECONDS,
                    clock.instant());
            JsonNode me = server.get(trimmed(profile.online().baseUrl()) + DEVICES_ME, token, "the device's own view");
            return profile.iid().equals(me.path("instanceId").asText()) && "active".equals(me.path("status").asText("active"));
        } catch (DeviceException e) {
            return false;
        }
    }

    // ---- the server's answer ----

    /** The answer's fields, each checked. {@code sealed} is null for a migration. */
    private record Answer(String iid, OtpPolicy otp, byte[] certificate, byte[] caCertificate, SealedInstanceSecret sealed,
                          String pushChannel, String h) {
    }

    private Answer check(JsonNode answer, EnrolmentMessage enrolment, KeyPair keys, EnrolmentRequest request) {
        String iid = text(answer, "instanceId");
        if (iid == null || !ID.matcher(iid).matches()) {
            throw refusedAnswer("its instanceId is missing or not an id ([A-Za-z0-9-]{1,64})");
        }
        if (enrolment.isMigration() && !iid.equals(enrolment.instanceId())) {
            throw refusedAnswer("it names instance " + iid + ", not the instance being migrated (" + enrolment.instanceId() + ")");
        }
        OtpPolicy otp;
        try {
            otp = OtpPolicy.parse(text(answer, "otp"));
        } catch (RuntimeException e) {
            throw refusedAnswer("its otp is not an OTP policy of protocol.md");
        }
        byte[] certificate = base64url(answer, "certificate");
        byte[] caCertificate = base64url(answer, "caCertificate");
        checkCertificate(certificate, caCertificate, (ECPublicKey) keys.getPublic(), enrolment.sn(), clock.instant());
        SealedInstanceSecret sealed = null;
        boolean hasSecret = answer.hasNonNull("epk") || answer.hasNonNull("n") || answer.hasNonNull("c");
        if (enrolment.isMigration()) {
            if (hasSecret) {
                throw refusedAnswer("it sends a new instance secret (epk, n, c) for a migration, which keeps the one the "
                        + "device has");
            }
        } else {
            try {
                sealed = SealedInstanceSecret.parse(text(answer, "epk"), text(answer, "n"), text(answer, "c"));
            } catch (MalformedMessageException e) {
                throw refusedAnswer(e.getMessage());
            }
        }
        String pushChannel = text(answer, "pushChannel");
        return new Answer(iid, otp, certificate, caCertificate, sealed, pushChannel == null ? null : Display.safe(pushChannel),
                request.h());
    }

    /**
     * The certificate is for our key, its subject is exactly {@code CN=<sn>}, and it chains to the
     * CA certificate (the JDK's PKIX validator, at the device's time, without revocation checking:
     * the certificate was issued a moment ago).
     */
    static void checkCertificate(byte[] certificateDer, byte[] caDer, ECPublicKey ours, String sn, Instant now) {
        X509Certificate certificate;
        X509Certificate ca;
        try {
            certificate = OnlineIdentity.parse(certificateDer);
            ca = OnlineIdentity.parse(caDer);
        } catch (IllegalArgumentException e) {
            throw refusedAnswer("its certificate or caCertificate is not a DER X.509 certificate");
        }
        if (!Arrays.equals(certificate.getPublicKey().getEncoded(), P256.encodeSpki(ours))) {
            throw refusedAnswer("the certificate is for another public key than this device's");
        }
        String subject = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        if (!subject.equals("CN=" + sn)) {
            throw refusedAnswer("the certificate's subject is " + Display.safe(subject) + ", not CN=" + sn);
        }
        if (ca.getBasicConstraints() < 0) {
            throw refusedAnswer("the caCertificate is not a CA certificate (no basicConstraints CA:true)");
        }
        try {
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(List.of(certificate)), parameters);
        } catch (CertPathValidatorException e) {
            throw refusedAnswer("the certificate does not chain to the caCertificate sent with it ("
                    + Display.safe(String.valueOf(e.getMessage())) + ")");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK's PKIX validator is always there", e);
        }
    }

    private static DeviceException refusedAnswer(String why) {
        return new DeviceException(DeviceException.Kind.REFUSED, "The device refuses the server's answer: " + why + ". "
                + "Nothing was saved. The server has used up this registration: register the device again for a new code.");
    }

    private static ObjectNode body(EnrolmentRequest request, EnrolmentOptions options) {
        ObjectNode body = ProvisioningClient.object().put("registrationId", request.rid()).put("csr", request.csrBase64url())
                .put("proof", request.proof()).put("platform", options.platform());
        if (options.pushToken() != null) {
            body.put("pushToken", options.pushToken());
        }
        if (options.deviceName() != null) {
            body.put("deviceName", options.deviceName());
        }
        return body.put("biometric", options.biometric());
    }

    private static OnlineIdentity identity(EnrolmentMessage enrolment, EnrolmentOptions options, Answer answer, KeyPair keys, Instant now) {
        return new OnlineIdentity(enrolment.rid(), enrolment.baseUrl(), options.platform(), options.pushToken(),
                options.deviceName(), options.biometric(), answer.certificate(), answer.caCertificate(), answer.pushChannel(),
                answer.h(), keys.getPrivate(), now, null);
    }

    private static EnrolmentMessage parse(String uri) {
        try {
            return ProtocolUris.parseEnrolment(uri);
        } catch (MalformedMessageException e) {
            throw DeviceSimulator.refusedAsWrongKind(uri, "online enrolment code", e);
        }
    }

    private static String text(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    /** Strict base64url (protocol.md, "Notation"): the one canonical unpadded text of the bytes. */
    private static byte[] base64url(JsonNode answer, String field) {
        String text = text(answer, field);
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(text == null ? "" : text);
            if (bytes.length == 0 || !Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(text)) {
                throw new IllegalArgumentException();
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw refusedAnswer("its " + field + " is missing or not strict base64url");
        }
    }

    private static String sentence(String text) {
        return text.endsWith(".") ? text : text + ".";
    }

    private static String trimmed(String baseUrl) {
        return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }
}
