package org.countersign.device;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.countersign.protocol.ActivationImageException;
import org.countersign.protocol.ActivationMessage1;
import org.countersign.protocol.ActivationMessage2;
import org.countersign.protocol.ActivationSignature;
import org.countersign.protocol.DeviceCode;
import org.countersign.protocol.InstanceKeys;
import org.countersign.protocol.MalformedMessageException;
import org.countersign.protocol.Otp;
import org.countersign.protocol.OtpPolicy;
import org.countersign.protocol.ProtocolUris;
import org.countersign.secrets.Secret;
import org.countersign.protocol.SigningImageException;
import org.countersign.protocol.SigningMessage;
import org.countersign.protocol.SigningPayload;
import org.countersign.protocol.TransactionSignature;

/**
 * A hardware authenticator with a camera and no network, as protocol.md describes the device side:
 * offline activation with two images and two typed codes, OTPs, and offline transaction signing.
 * Every computation is libs/protocol's; this class keeps the profiles and says clearly what went
 * wrong. Messages are the decoded texts ({@code countersign://...}); {@link DeviceInput} reads them
 * from images, files and URLs.
 *
 * <p>Where a profile name may be null: {@link #scanActivation} names the profile after the serial
 * number; {@link #completeActivation} takes the pending profile whose registration and serial
 * number the message names; {@link #otp} takes the only active profile; {@link #sign} takes the
 * active profile whose instance the request is for.
 *
 * @throws DeviceException from every method, with a message for a person and a kind for the exit code
 */
public final class DeviceSimulator {

    private final ProfileStore store;
    private final Clock clock;
    private final ProvisioningClient server;

    public DeviceSimulator(ProfileStore store) {
        this(store, Clock.systemUTC());
    }

    public DeviceSimulator(ProfileStore store, Clock clock) {
        this(store, clock, DeviceTransport.jdk());
    }

    /** @param transport how the online calls reach the server ({@link DeviceTransport#jdk()} by default) */
    public DeviceSimulator(ProfileStore store, Clock clock, DeviceTransport transport) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.server = new ProvisioningClient(Objects.requireNonNull(transport, "transport"));
    }

    public ProfileStore store() {
        return store;
    }

    // ---- offline activation ----

    /**
     * Reads activation message 1, draws a device code and keeps a pending profile (replacing a
     * pending one of the same name, never an active one).
     *
     * @param profileName null for the serial number {@code sn}
     * @return the device code as the device shows it, {@code dddd dddd dddd dd}
     */
    public String scanActivation(String activationMessage1Uri, String profileName) {
        return scan(activationMessage1Uri, profileName).deviceCode();
    }

    record Scan(Profile profile, String deviceCode) {
        @Override
        public String toString() {
            return "Scan[" + profile + "]";
        }
    }

    Scan scan(String uri, String profileName) {
        ActivationMessage1 am1;
        try {
            am1 = ProtocolUris.parseActivationMessage1(uri);
        } catch (MalformedMessageException e) {
            throw refusedAsWrongKind(uri, "activation message 1", e);
        }
        String name = profileName == null ? am1.sn() : Profile.requireName(profileName);
        DeviceCode dc = DeviceCode.random();
        Profile pending = Profile.pending(name, am1.sn(), am1.rid(), am1.issuer(), am1.account(), am1.ap(), dc, clock.instant());
        store.update(profiles -> {
            Profile existing = profiles.get(name);
            if (existing != null && existing.isActive()) {
                throw new DeviceException(DeviceException.Kind.USAGE, "Profile " + name + " is already active (instance "
                        + existing.iid() + "). Remove it first (remove " + name + "), or scan into another profile with --profile NAME.");
            }
            return profiles.put(name, pending);
        });
        return new Scan(pending, dc.display());
    }

    /**
     * Reads activation message 2, checks it belongs to the pending profile's activation message 1,
     * decrypts {@code IS}, activates the profile and shows the signature. Showing it again for the
     * same message 2 after activation is allowed (the person may have mistyped it).
     *
     * @param profileName null for the pending profile whose rid and sn the message names
     * @return {@code SIG}, 8 digits
     */
    public String completeActivation(String activationMessage2Uri, String profileName) {
        return activate(activationMessage2Uri, profileName).signature();
    }

    record Activation(Profile profile, String signature, boolean again) {
        @Override
        public String toString() {
            return "Activation[" + profile + ", again=" + again + "]";
        }
    }

    Activation activate(String uri, String profileName) {
        ActivationMessage2 am2;
        try {
            am2 = ProtocolUris.parseActivationMessage2(uri);
        } catch (MalformedMessageException e) {
            throw refusedAsWrongKind(uri, "activation message 2", e);
        }
        return store.update(profiles -> {
            Profile profile = profileName != null ? named(profiles, Profile.requireName(profileName)) : pendingFor(profiles, am2);
            if (profile.state() == Profile.State.ENROLLING) {
                throw new DeviceException(DeviceException.Kind.USAGE, "Profile " + profile.name() + " is an online enrolment "
                        + "waiting for its confirmation, not an offline activation: run enroll again with its enrolment code.");
            }
            if (profile.isActive()) {
                if (profile.deviceCode() != null && profile.iid().equals(am2.iid()) && profile.rid().equals(am2.rid())
                        && profile.sn().equals(am2.sn())) {
                    return new Activation(profile, ActivationSignature.compute(profile.keys(), profile.rid(), profile.iid(),
                            profile.deviceCode()), true);
                }
                throw new DeviceException(DeviceException.Kind.USAGE, "Profile " + profile.name() + " is already active (instance "
                        + profile.iid() + "); this activation message 2 is for instance " + am2.iid() + ".");
            }
            if (!profile.rid().equals(am2.rid()) || !profile.sn().equals(am2.sn())) {
                throw new DeviceException(DeviceException.Kind.REFUSED, "This activation message 2 belongs to another activation "
                        + "(registration " + am2.rid() + ", serial " + am2.sn() + "), not to the one scanned into profile "
                        + profile.name() + " (registration " + profile.rid() + ", serial " + profile.sn() + ").");
            }
            ActivationMessage1 am1 = ActivationMessage1.of(profile.sn(), profile.rid(), profile.ap(), profile.issuer(), profile.account());
            Secret is;
            try {
                is = am2.open(am1, profile.deviceCode());
            } catch (ActivationImageException e) {
                throw new DeviceException(DeviceException.Kind.REFUSED, e.reason() == ActivationImageException.Reason.DOES_NOT_DECRYPT
                        ? "Activation message 2 does not decrypt (the GCM tag fails): it was made for another device code or "
                                + "activation password. Is it the right image, undamaged, and was the device code typed correctly? "
                                + "Profile " + profile.name() + " is still waiting; scan the right image, or start again with scan."
                        : "Activation message 2 belongs to another activation than profile " + profile.name() + ".");
            }
            Profile active = profile.activated(am2.iid(), am2.otp(), is, clock.instant());
            String sig = ActivationSignature.compute(InstanceKeys.of(is), am2.rid(), am2.iid(), profile.deviceCode());
            profiles.put(active.name(), active);
            return new Activation(active, sig, false);
        });
    }

    private static Profile pendingFor(Map<String, Profile> profiles, ActivationMessage2 am2) {
        List<Profile> matching = profiles.values().stream()
                .filter(p -> p.rid().equals(am2.rid()) && p.sn().equals(am2.sn()))
                .filter(p -> p.state() == Profile.State.PENDING || p.isActive() && p.iid().equals(am2.iid()))
                .toList();
        List<Profile> pending = matching.stream().filter(p -> p.state() == Profile.State.PENDING).toList();
        if (pending.size() == 1) {
            return pending.get(0);
        }
        if (pending.isEmpty() && matching.size() == 1) {
            return matching.get(0);
        }
        if (pending.size() > 1) {
            throw new DeviceException(DeviceException.Kind.USAGE, "Several profiles wait for this activation ("
                    + names(pending) + "): choose one with --profile NAME.");
        }
        throw new DeviceException(DeviceException.Kind.USAGE, "No profile waits for registration " + am2.rid() + " (serial "
                + am2.sn() + "): scan its activation message 1 first" + (profiles.isEmpty() ? "." : " (profiles: " + names(profiles.values()) + ")."));
    }

    // ---- OTPs ----

    /**
     * The OTP at {@code at} (TOTP), or the next one (HOTP: the counter moves on and is saved).
     *
     * @param profileName null for the only active profile
     * @param at the time for TOTP; null for now
     */
    public String otp(String profileName, Instant at) {
        return otpCode(profileName, at).code();
    }

    record OtpCode(Profile profile, String code, long movingFactor, Instant validUntil) {
        @Override
        public String toString() {
            return "OtpCode[" + profile.name() + ", " + movingFactor + "]";
        }
    }

    OtpCode otpCode(String profileName, Instant at) {
        Instant when = at != null ? at : clock.instant();
        Profile chosen = active(store.list(), profileName, "make an OTP");
        OtpPolicy policy = chosen.otp();
        if (policy.kind() == OtpPolicy.Kind.TOTP) {
            long step = policy.timeStep(when.getEpochSecond());
            Secret key = chosen.keys().otp(policy);
            try {
                return new OtpCode(chosen, Otp.at(policy, key, step), step, Instant.ofEpochSecond((step + 1) * policy.periodSeconds()));
            } finally {
                key.destroy();
            }
        }
        return store.update(profiles -> {
            Profile current = profiles.get(chosen.name());
            if (current == null || !current.isActive()) {
                throw new DeviceException(DeviceException.Kind.USAGE, "Profile " + chosen.name() + " changed meanwhile; try again.");
            }
            long counter = current.hotpCounter();
            Secret key = current.keys().otp(policy);
            try {
                String code = Otp.at(policy, key, counter);
                profiles.put(current.name(), current.withHotpCounter(counter + 1));
                return new OtpCode(current, code, counter, null);
            } finally {
                key.destroy();
            }
        });
    }

    // ---- offline transaction signing ----

    /**
     * Reads a signing request, checks it is for this device's instance, decrypts it and computes
     * the response. A real device would show the message and fields and wait for the user's OK;
     * the caller shows {@link SignedTransaction#message()} and {@link SignedTransaction#fields()}.
     *
     * @param profileName null for the active profile whose instance the request is for
     */
    public SignedTransaction sign(String signingUri, String profileName) {
        SigningMessage request;
        try {
            request = ProtocolUris.parseSigningMessage(signingUri);
        } catch (MalformedMessageException e) {
            throw refusedAsWrongKind(signingUri, "signing request", e);
        }
        List<Profile> all = store.list();
        Profile profile;
        if (profileName != null) {
            profile = active(all, profileName, "sign");
            if (!profile.iid().equals(request.iid())) {
                throw new DeviceException(DeviceException.Kind.REFUSED, "This signing request is for instance " + request.iid()
                        + ", not for profile " + profile.name() + " (instance " + profile.iid() + "). Nothing was signed.");
            }
        } else {
            List<Profile> matching = all.stream().filter(p -> p.isActive() && p.iid().equals(request.iid())).toList();
            if (matching.isEmpty()) {
                throw new DeviceException(DeviceException.Kind.REFUSED, "This signing request is for instance " + request.iid()
                        + ", which is not on this device" + (all.isEmpty() ? "" : " (profiles: " + describe(all) + ")")
                        + ". Nothing was signed.");
            }
            profile = matching.get(0);
        }
        InstanceKeys keys = profile.keys();
        SigningPayload payload;
        try {
            payload = request.open(keys, profile.iid());
        } catch (SigningImageException e) {
            throw new DeviceException(DeviceException.Kind.REFUSED, "The signing request does not decrypt with profile "
                    + profile.name() + "'s key (the GCM tag fails): it was tampered with, damaged, or made for another "
                    + "instance. Nothing was signed; do not approve anything from it.");
        } catch (MalformedMessageException e) {
            throw new DeviceException(DeviceException.Kind.REFUSED, "The signing request decrypts, but its content is not "
                    + "well formed (" + e.getMessage() + "). Nothing was signed.");
        }
        String r = TransactionSignature.compute(keys, request.cid(), payload.data());
        return new SignedTransaction(profile.name(), profile.iid(), request.cid(), payload.message(), payload.fields(),
                payload.expiresAt(), payload.data().dataHash(), r);
    }

    // ---- online activation, migration and device tokens ----

    /**
     * Online activation with an enrolment code of a registration of type {@code online}: makes a
     * P-256 key, posts the CSR and proof to the server the code names, checks the answer, opens
     * {@code IS}, keeps the profile and confirms. Running it again with the same code after a failed
     * confirmation retries only the confirmation.
     *
     * @param profileName null for the serial number {@code sn}
     * @param options platform, push token, device name, biometrics; null for {@link EnrolmentOptions#DEFAULT}
     * @return the active online profile
     */
    public Profile enroll(String enrolmentUri, String profileName, EnrolmentOptions options) {
        return enrolment(enrolmentUri, profileName, options, false).profile();
    }

    /**
     * Moves an active offline profile online with the enrolment code of a registration of type
     * {@code migrate}: the instance keeps its id, {@code IS}, OTP policy and HOTP counter; the
     * profile gains a device key and certificate.
     *
     * @param profileName null for the active profile that holds the instance the code names
     */
    public Profile migrate(String enrolmentUri, String profileName, EnrolmentOptions options) {
        return enrolment(enrolmentUri, profileName, options, true).profile();
    }

    OnlineEnrolment.Enrolled enrolment(String uri, String profileName, EnrolmentOptions options, boolean migration) {
        OnlineEnrolment online = new OnlineEnrolment(store, clock, server);
        EnrolmentOptions chosen = options == null ? EnrolmentOptions.DEFAULT : options;
        return migration ? online.migrate(uri, profileName, chosen) : online.enroll(uri, profileName, chosen);
    }

    /**
     * A fresh device token (protocol.md, "Device authentication") for an online profile.
     *
     * @param profileName null for the only online profile
     * @param audience null for {@code countersign-push}
     * @param ttlSeconds {@code exp - iat}, 1 to 300
     */
    public String jwt(String profileName, String audience, long ttlSeconds) {
        Profile profile = online(store.list(), profileName);
        return DeviceTokens.sign(profile, audience == null ? DeviceTokens.DEFAULT_AUDIENCE : audience, ttlSeconds, clock.instant());
    }

    /**
     * The push side of an online profile (device listen, device pending).
     *
     * @param profileName null for the only online profile
     * @param baseUrl the push-service, e.g. http://127.0.0.1:8085; null for the one the profile's push channel names
     */
    PushDevice push(String profileName, String baseUrl) {
        return new PushDevice(online(store.list(), profileName), baseUrl, clock);
    }

    /** The named profile, which must be online; or the only online profile. */
    static Profile online(List<Profile> all, String profileName) {
        if (profileName != null) {
            Profile profile = active(all, profileName, "make a device token");
            if (!profile.isOnline()) {
                throw new DeviceException(DeviceException.Kind.USAGE, "Profile " + profile.name() + " is offline: it has no "
                        + "device key. Move it online with migrate (a registration of type migrate), or enrol one with enroll.");
            }
            return profile;
        }
        List<Profile> online = all.stream().filter(Profile::isOnline).toList();
        if (online.size() == 1) {
            return online.get(0);
        }
        if (online.isEmpty()) {
            throw new DeviceException(DeviceException.Kind.USAGE, "No online profile on this device"
                    + (all.isEmpty() ? "" : " (profiles: " + describe(all) + ")")
                    + ": enrol one with enroll, or move an offline one online with migrate.");
        }
        throw new DeviceException(DeviceException.Kind.USAGE, "Several online profiles (" + names(online)
                + "): choose one with --profile NAME.");
    }

    // ---- profiles ----

    public List<Profile> profiles() {
        return store.list();
    }

    /** @return whether there was a profile of that name */
    public boolean remove(String name) {
        return store.remove(Profile.requireName(name));
    }

    Instant now() {
        return clock.instant();
    }

    // ---- choosing a profile, and saying why not ----

    static Profile named(Map<String, Profile> profiles, String name) {
        Profile profile = profiles.get(name);
        if (profile == null) {
            throw new DeviceException(DeviceException.Kind.USAGE, "No profile named " + name
                    + (profiles.isEmpty() ? " (there are no profiles yet)." : " (profiles: " + names(profiles.values()) + ")."));
        }
        return profile;
    }

    private static Profile active(List<Profile> all, String profileName, String purpose) {
        if (profileName != null) {
            Map<String, Profile> byName = all.stream().collect(Collectors.toMap(Profile::name, p -> p, (a, b) -> a,
                    java.util.LinkedHashMap::new));
            Profile profile = named(byName, Profile.requireName(profileName));
            if (!profile.isActive()) {
                throw new DeviceException(DeviceException.Kind.USAGE, "Profile " + profile.name() + " is not activated yet: "
                        + (profile.state() == Profile.State.ENROLLING
                                ? "the server has not accepted its confirmation; run enroll again with its enrolment code."
                                : "type its device code into the application, then run activate with activation message 2."));
            }
            return profile;
        }
        List<Profile> active = all.stream().filter(Profile::isActive).toList();
        if (active.size() == 1) {
            return active.get(0);
        }
        if (active.isEmpty()) {
            throw new DeviceException(DeviceException.Kind.USAGE, "No active profile to " + purpose + " with"
                    + (all.isEmpty() ? ": activate one first (scan, then activate)." : " (profiles: " + describe(all) + ")."));
        }
        throw new DeviceException(DeviceException.Kind.USAGE, "Several active profiles (" + names(active)
                + "): choose one with --profile NAME.");
    }

    static String names(java.util.Collection<Profile> profiles) {
        return profiles.stream().map(Profile::name).collect(Collectors.joining(", "));
    }

    static String describe(List<Profile> profiles) {
        return profiles.stream().map(p -> p.name() + (p.isActive() ? " = instance " + p.iid()
                        : p.state() == Profile.State.ENROLLING ? " enrolling" : " pending"))
                .collect(Collectors.joining(", "));
    }

    /** A message that is not what was expected: say what it is instead, or what rule it broke. */
    static DeviceException refusedAsWrongKind(String text, String expected, MalformedMessageException e) {
        String kind = kindOf(text);
        String hint = switch (kind) {
            case "activation message 1" -> " Use scan for it.";
            case "activation message 2" -> " Use activate for it.";
            case "signing request" -> " Use sign for it.";
            case "online enrolment code" -> " Use enroll for it (migrate when it moves an offline instance online).";
            default -> "";
        };
        if (!kind.equals(expected) && !kind.startsWith("not") && !kind.startsWith("an unknown")) {
            return new DeviceException(DeviceException.Kind.REFUSED, "This is " + article(kind) + ", not " + article(expected) + "." + hint);
        }
        if (kind.equals(expected)) {
            return new DeviceException(DeviceException.Kind.REFUSED, "The " + expected + " is not well formed ("
                    + e.getMessage() + "); the device refuses it.");
        }
        return new DeviceException(DeviceException.Kind.REFUSED, "The code does not hold " + article(expected) + " (" + kind + ").");
    }

    static String kindOf(String text) {
        if (text == null) {
            return "not a countersign:// message";
        }
        if (text.startsWith("countersign://activate?")) {
            return "activation message 1";
        }
        if (text.startsWith("countersign://activate2?")) {
            return "activation message 2";
        }
        if (text.startsWith("countersign://sign?")) {
            return "signing request";
        }
        if (text.startsWith("countersign://enroll?")) {
            return "online enrolment code";
        }
        return text.startsWith("countersign://") ? "an unknown countersign:// message" : "not a countersign:// message";
    }

    private static String article(String kind) {
        return (kind.startsWith("activation") || kind.startsWith("online") ? "an " : "a ") + kind;
    }
}
