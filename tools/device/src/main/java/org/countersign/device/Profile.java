package org.countersign.device;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import org.countersign.protocol.DeviceCode;
import org.countersign.protocol.InstanceKeys;
import org.countersign.protocol.OtpPolicy;
import org.countersign.secrets.Secret;

/**
 * One authenticator instance on the simulated device. Offline, as a hardware token keeps it: a
 * profile is <em>pending</em> after activation message 1 was scanned (it holds the activation
 * password {@code AP} and the device code it showed) and <em>active</em> once activation message 2
 * was opened (it holds the instance secret {@code IS}, the instance id and the OTP policy;
 * {@code AP} is forgotten). Online, as a mobile app keeps it: a profile is <em>enrolling</em> once
 * the server answered the enrolment (it holds {@code IS}, the instance id, the OTP policy and its
 * {@link OnlineIdentity}: the device key and certificate) and <em>active</em> once the server
 * accepted the confirmation. An active offline profile moves online ({@code migrate}) by gaining a
 * confirmed online identity; it keeps its {@code IS}, instance id and HOTP counter.
 *
 * <p>Immutable. The secrets are readable only inside this package, and {@link #toString()} shows
 * none of them.
 */
public final class Profile {

    /** What a profile name may be: letters, digits, {@code . _ -}, 1 to 64 characters. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public enum State {
        /** Activation message 1 scanned; waiting for activation message 2. */
        PENDING,
        /** Online: the server answered the enrolment; the confirmation has not been accepted yet. */
        ENROLLING,
        /** Activated: makes OTPs and signs. */
        ACTIVE
    }

    /** How the device reaches the server: offline (images and typed codes only) or online (a device key). */
    public enum Mode {
        OFFLINE,
        ONLINE
    }

    private final String name;
    private final State state;
    private final String sn;
    private final String rid;
    private final String issuer;
    private final String account;
    private final Secret ap;
    private final DeviceCode deviceCode;
    private final String iid;
    private final OtpPolicy otp;
    private final Secret instanceSecret;
    private final long hotpCounter;
    private final Instant createdAt;
    private final Instant activatedAt;
    private final OnlineIdentity online;

    Profile(String name, State state, String sn, String rid, String issuer, String account, Secret ap,
            DeviceCode deviceCode, String iid, OtpPolicy otp, Secret instanceSecret, long hotpCounter,
            Instant createdAt, Instant activatedAt, OnlineIdentity online) {
        this.name = requireName(name);
        this.state = Objects.requireNonNull(state, "state");
        this.sn = Objects.requireNonNull(sn, "sn");
        this.rid = Objects.requireNonNull(rid, "rid");
        this.issuer = issuer;
        this.account = account;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        if (state == State.PENDING) {
            this.ap = Objects.requireNonNull(ap, "ap");
            this.deviceCode = Objects.requireNonNull(deviceCode, "deviceCode");
            this.iid = null;
            this.otp = null;
            this.instanceSecret = null;
            this.hotpCounter = 0;
            this.activatedAt = null;
            this.online = null;
        } else {
            // An online enrolment has no device code; a profile activated offline keeps its own.
            this.deviceCode = deviceCode;
            if (hotpCounter < 0) {
                throw new IllegalArgumentException("The HOTP counter is not negative");
            }
            this.ap = null;
            this.iid = Objects.requireNonNull(iid, "iid");
            this.otp = Objects.requireNonNull(otp, "otp");
            this.instanceSecret = Objects.requireNonNull(instanceSecret, "instanceSecret");
            this.hotpCounter = hotpCounter;
            if (state == State.ENROLLING) {
                this.online = Objects.requireNonNull(online, "online");
                if (online.isConfirmed()) {
                    throw new IllegalArgumentException("An enrolling profile is not confirmed yet");
                }
                this.activatedAt = null;
            } else {
                this.online = online;
                this.activatedAt = Objects.requireNonNull(activatedAt, "activatedAt");
            }
        }
    }

    static Profile pending(String name, String sn, String rid, String issuer, String account, Secret ap,
                           DeviceCode deviceCode, Instant now) {
        return new Profile(name, State.PENDING, sn, rid, issuer, account, ap, deviceCode, null, null, null, 0, now, null, null);
    }

    /** A new online profile: the server answered its enrolment, the confirmation is still to come. */
    static Profile enrolling(String name, String sn, String rid, String issuer, String account, String iid, OtpPolicy otp,
                             Secret instanceSecret, OnlineIdentity online, Instant now) {
        return new Profile(name, State.ENROLLING, sn, rid, issuer, account, null, null, iid, otp, instanceSecret, 0, now,
                null, online);
    }

    /** This pending profile, activated: {@code AP} is dropped, {@code IS} kept. */
    Profile activated(String iid, OtpPolicy otp, Secret instanceSecret, Instant now) {
        return new Profile(name, State.ACTIVE, sn, rid, issuer, account, null, deviceCode, iid, otp, instanceSecret, 0,
                createdAt, now, null);
    }

    Profile withHotpCounter(long counter) {
        return new Profile(name, state, sn, rid, issuer, account, ap, deviceCode, iid, otp, instanceSecret, counter,
                createdAt, activatedAt, online);
    }

    /**
     * This profile with {@code identity} as its online side: an enrolling profile's (unconfirmed,
     * replacing an earlier unconfirmed one) or an active profile's (a migration in progress, or done
     * once {@code identity} is confirmed). An enrolling profile whose identity is confirmed becomes active.
     */
    Profile withOnline(OnlineIdentity identity, Instant now) {
        if (state == State.PENDING) {
            throw new IllegalStateException("A pending offline profile has no online side");
        }
        boolean activates = state == State.ENROLLING && identity.isConfirmed();
        return new Profile(name, activates ? State.ACTIVE : state, sn, rid, issuer, account, null, deviceCode, iid, otp,
                instanceSecret, hotpCounter, createdAt, activates ? now : activatedAt, identity);
    }

    static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new DeviceException(DeviceException.Kind.USAGE,
                    "A profile name is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return name;
    }

    public String name() {
        return name;
    }

    public State state() {
        return state;
    }

    public boolean isActive() {
        return state == State.ACTIVE;
    }

    /** Online once the server confirmed its device key (enrolled, or migrated); offline before. */
    public Mode mode() {
        return online != null && online.isConfirmed() ? Mode.ONLINE : Mode.OFFLINE;
    }

    public boolean isOnline() {
        return mode() == Mode.ONLINE;
    }

    /**
     * The online side: the device key, its certificate, the server's URLs; null for an offline
     * profile that never started a migration. Unconfirmed while enrolling or migrating.
     */
    public OnlineIdentity online() {
        return online;
    }

    /** The serial number {@code sn}. */
    public String sn() {
        return sn;
    }

    /** The registration id {@code rid}. */
    public String rid() {
        return rid;
    }

    /** The issuer to display, or null. */
    public String issuer() {
        return issuer;
    }

    /** The account to display, or null. */
    public String account() {
        return account;
    }

    /** The instance id {@code iid}; null while pending. */
    public String iid() {
        return iid;
    }

    /** The OTP policy; null while pending. */
    public OtpPolicy otp() {
        return otp;
    }

    /** The next HOTP counter (0 for TOTP and while pending). */
    public long hotpCounter() {
        return hotpCounter;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** When activation message 2 was opened or the online confirmation accepted; null before. */
    public Instant activatedAt() {
        return activatedAt;
    }

    Secret ap() {
        return ap;
    }

    /** The device code shown at offline activation; null for a profile enrolled online. */
    DeviceCode deviceCode() {
        return deviceCode;
    }

    Secret instanceSecret() {
        return instanceSecret;
    }

    InstanceKeys keys() {
        return InstanceKeys.of(instanceSecret);
    }

    @Override
    public String toString() {
        return "Profile[name=" + name + ", state=" + state + ", sn=" + sn + ", rid=" + rid
                + (iid == null ? "" : ", iid=" + iid + ", otp=" + otp) + ", mode=" + mode() + "]";
    }
}
