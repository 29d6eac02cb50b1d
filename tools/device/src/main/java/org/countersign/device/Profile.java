package org.countersign.device;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import org.countersign.protocol.DeviceCode;
import org.countersign.protocol.InstanceKeys;
import org.countersign.protocol.OtpPolicy;
import org.countersign.protocol.Secret;

/**
 * One authenticator instance on the simulated device, as a hardware token keeps it. A profile is
 * <em>pending</em> after activation message 1 was scanned (it holds the activation password
 * {@code AP} and the device code it showed) and <em>active</em> once activation message 2 was
 * opened (it holds the instance secret {@code IS}, the instance id and the OTP policy; {@code AP}
 * is forgotten). Immutable. The secrets are readable only inside this package, and
 * {@link #toString()} shows none of them.
 */
public final class Profile {

    /** What a profile name may be: letters, digits, {@code . _ -}, 1 to 64 characters. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public enum State {
        /** Activation message 1 scanned; waiting for activation message 2. */
        PENDING,
        /** Activated: makes OTPs and signs. */
        ACTIVE
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

    Profile(String name, State state, String sn, String rid, String issuer, String account, Secret ap,
            DeviceCode deviceCode, String iid, OtpPolicy otp, Secret instanceSecret, long hotpCounter,
            Instant createdAt, Instant activatedAt) {
        this.name = requireName(name);
        this.state = Objects.requireNonNull(state, "state");
        this.sn = Objects.requireNonNull(sn, "sn");
        this.rid = Objects.requireNonNull(rid, "rid");
        this.issuer = issuer;
        this.account = account;
        this.deviceCode = Objects.requireNonNull(deviceCode, "deviceCode");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        if (state == State.PENDING) {
            this.ap = Objects.requireNonNull(ap, "ap");
            this.iid = null;
            this.otp = null;
            this.instanceSecret = null;
            this.hotpCounter = 0;
            this.activatedAt = null;
        } else {
            if (hotpCounter < 0) {
                throw new IllegalArgumentException("The HOTP counter is not negative");
            }
            this.ap = null;
            this.iid = Objects.requireNonNull(iid, "iid");
            this.otp = Objects.requireNonNull(otp, "otp");
            this.instanceSecret = Objects.requireNonNull(instanceSecret, "instanceSecret");
            this.hotpCounter = hotpCounter;
            this.activatedAt = Objects.requireNonNull(activatedAt, "activatedAt");
        }
    }

    static Profile pending(String name, String sn, String rid, String issuer, String account, Secret ap,
                           DeviceCode deviceCode, Instant now) {
        return new Profile(name, State.PENDING, sn, rid, issuer, account, ap, deviceCode, null, null, null, 0, now, null);
    }

    /** This pending profile, activated: {@code AP} is dropped, {@code IS} kept. */
    Profile activated(String iid, OtpPolicy otp, Secret instanceSecret, Instant now) {
        return new Profile(name, State.ACTIVE, sn, rid, issuer, account, null, deviceCode, iid, otp, instanceSecret, 0,
                createdAt, now);
    }

    Profile withHotpCounter(long counter) {
        return new Profile(name, state, sn, rid, issuer, account, ap, deviceCode, iid, otp, instanceSecret, counter,
                createdAt, activatedAt);
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

    /** When activation message 2 was opened; null while pending. */
    public Instant activatedAt() {
        return activatedAt;
    }

    Secret ap() {
        return ap;
    }

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
                + (iid == null ? "" : ", iid=" + iid + ", otp=" + otp) + "]";
    }
}
