package org.countersign.registration.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.countersign.secrets.Secret;

/**
 * One OTP key read from a PSKC document (RFC 6030 section 4): the device it belongs to, how to
 * compute its OTPs, and its seed. The seed is a {@link Secret}, so {@link #toString()} shows only
 * its length; it must leave this service sealed, for the otp-service only.
 */
public final class PskcToken {

    /** The serial-number shape of the licence inventory, so every serial here can become a licence. */
    public static final Pattern SERIAL = Pattern.compile("[A-Za-z0-9-]{1,64}");
    /** RFC 6287: {@code OCRA-1:<crypto function>:<data input>}. */
    public static final Pattern OCRA_SUITE = Pattern.compile(
            "OCRA-1:HOTP-SHA(1|256|512)-(0|[4-9]|10):(C-)?Q[ANH](0[4-9]|[1-5][0-9]|6[0-4])"
                    + "(-P(SHA1|SHA256|SHA512))?(-S[0-9]{3})?(-T[0-9]{1,2}[SMH])?");
    private static final int MAX_TEXT = 256;

    private final String serialNumber;
    private final String manufacturer;
    private final String keyId;
    private final String algorithm;
    private final PskcKind kind;
    private final String ocraSuite;
    private final PskcResponseFormat responseFormat;
    private final Long counter;
    private final Long time;
    private final Integer timeInterval;
    private final Integer timeDrift;
    private final Instant validFrom;
    private final Instant validUntil;
    private final Secret secret;

    private PskcToken(Builder b) {
        this.serialNumber = b.serialNumber;
        this.manufacturer = b.manufacturer;
        this.keyId = b.keyId;
        this.algorithm = b.algorithm;
        this.kind = b.kind;
        this.ocraSuite = b.ocraSuite;
        this.responseFormat = b.responseFormat;
        this.counter = b.counter;
        this.time = b.time;
        this.timeInterval = b.timeInterval;
        this.timeDrift = b.timeDrift;
        this.validFrom = b.validFrom;
        this.validUntil = b.validUntil;
        this.secret = b.secret;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code DeviceInfo/SerialNo}; RFC 6030 makes it optional (its Figure 2 has none). */
    public Optional<String> serialNumber() {
        return Optional.ofNullable(serialNumber);
    }

    /** {@code DeviceInfo/Manufacturer}. */
    public Optional<String> manufacturer() {
        return Optional.ofNullable(manufacturer);
    }

    /** {@code Key/@Id}, required by RFC 6030 and meant to be globally unique. */
    public String keyId() {
        return keyId;
    }

    /** {@code Key/@Algorithm}, as written in the document. */
    public String algorithm() {
        return algorithm;
    }

    public PskcKind kind() {
        return kind;
    }

    /** The OCRA suite, for {@link PskcKind#OCRA} only. */
    public Optional<String> ocraSuite() {
        return Optional.ofNullable(ocraSuite);
    }

    public Optional<PskcResponseFormat> responseFormat() {
        return Optional.ofNullable(responseFormat);
    }

    /** {@code Data/Counter}: the HOTP or OCRA counter the token is at. */
    public OptionalLong counter() {
        return counter == null ? OptionalLong.empty() : OptionalLong.of(counter);
    }

    /**
     * {@code Data/Time}, as written. Vendors put 0 here for TOTP keys, the RFC 6238 T0; check what a
     * vendor means before reading another value as T0.
     */
    public OptionalLong time() {
        return time == null ? OptionalLong.empty() : OptionalLong.of(time);
    }

    /** {@code Data/TimeInterval}: the TOTP time step, in seconds. */
    public OptionalInt timeInterval() {
        return timeInterval == null ? OptionalInt.empty() : OptionalInt.of(timeInterval);
    }

    /** {@code Data/TimeDrift}: the device clock's drift, in time steps. */
    public OptionalInt timeDrift() {
        return timeDrift == null ? OptionalInt.empty() : OptionalInt.of(timeDrift);
    }

    /** {@code Policy/StartDate}. */
    public Optional<Instant> validFrom() {
        return Optional.ofNullable(validFrom);
    }

    /** {@code Policy/ExpiryDate}. */
    public Optional<Instant> validUntil() {
        return Optional.ofNullable(validUntil);
    }

    /** The seed; read it with {@link Secret#reveal()} only to seal it. */
    public Secret secret() {
        return secret;
    }

    /** Whether the two usage periods share an instant; a missing bound is open on that side. */
    public boolean validityOverlaps(PskcToken other) {
        Instant thisStart = validFrom == null ? Instant.MIN : validFrom;
        Instant thisEnd = validUntil == null ? Instant.MAX : validUntil;
        Instant otherStart = other.validFrom == null ? Instant.MIN : other.validFrom;
        Instant otherEnd = other.validUntil == null ? Instant.MAX : other.validUntil;
        return !thisStart.isAfter(otherEnd) && !otherStart.isAfter(thisEnd);
    }

    @Override
    public String toString() {
        return "PskcToken[serialNumber=" + serialNumber + ", keyId=" + keyId + ", kind=" + kind
                + (ocraSuite == null ? "" : ", ocraSuite=" + ocraSuite)
                + ", responseFormat=" + responseFormat + ", counter=" + counter + ", time=" + time
                + ", timeInterval=" + timeInterval + ", secret=" + secret + "]";
    }

    /** Collects the fields; {@link #build()} refuses every combination that cannot be a usable token. */
    public static final class Builder {
        private String serialNumber;
        private String manufacturer;
        private String keyId;
        private String algorithm;
        private PskcKind kind;
        private String ocraSuite;
        private PskcResponseFormat responseFormat;
        private Long counter;
        private Long time;
        private Integer timeInterval;
        private Integer timeDrift;
        private Instant validFrom;
        private Instant validUntil;
        private Secret secret;

        private Builder() {
        }

        public Builder serialNumber(String serialNumber) {
            this.serialNumber = serialNumber;
            return this;
        }

        public Builder manufacturer(String manufacturer) {
            this.manufacturer = manufacturer;
            return this;
        }

        public Builder keyId(String keyId) {
            this.keyId = keyId;
            return this;
        }

        public Builder algorithm(String algorithm, PskcKind kind) {
            this.algorithm = algorithm;
            this.kind = kind;
            return this;
        }

        public Builder ocraSuite(String ocraSuite) {
            this.ocraSuite = ocraSuite;
            return this;
        }

        public Builder responseFormat(PskcResponseFormat responseFormat) {
            this.responseFormat = responseFormat;
            return this;
        }

        public Builder counter(Long counter) {
            this.counter = counter;
            return this;
        }

        public Builder time(Long time) {
            this.time = time;
            return this;
        }

        public Builder timeInterval(Integer timeInterval) {
            this.timeInterval = timeInterval;
            return this;
        }

        public Builder timeDrift(Integer timeDrift) {
            this.timeDrift = timeDrift;
            return this;
        }

        public Builder validity(Instant validFrom, Instant validUntil) {
            this.validFrom = validFrom;
            this.validUntil = validUntil;
            return this;
        }

        /** Takes the secret over: the token owns it from here on. */
        public Builder secret(Secret secret) {
            this.secret = secret;
            return this;
        }

        public PskcToken build() {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(algorithm, "algorithm");
            Objects.requireNonNull(secret, "secret");
            if (keyId == null || keyId.isBlank() || keyId.length() > MAX_TEXT) {
                throw new IllegalArgumentException("A key id has 1 to " + MAX_TEXT + " characters");
            }
            if (serialNumber != null && !SERIAL.matcher(serialNumber).matches()) {
                throw new IllegalArgumentException("A serial number matches " + SERIAL.pattern());
            }
            if (manufacturer != null && manufacturer.length() > MAX_TEXT) {
                throw new IllegalArgumentException("A manufacturer has at most " + MAX_TEXT + " characters");
            }
            if ((kind == PskcKind.OCRA) != (ocraSuite != null)) {
                throw new IllegalArgumentException("An OCRA suite goes with, and only with, an OCRA key");
            }
            if (ocraSuite != null && !OCRA_SUITE.matcher(ocraSuite).matches()) {
                throw new IllegalArgumentException("Not an RFC 6287 OCRA suite");
            }
            if (counter != null && counter < 0) {
                throw new IllegalArgumentException("A counter is not negative");
            }
            if (time != null && time < 0) {
                throw new IllegalArgumentException("A time is not negative");
            }
            if (timeInterval != null && timeInterval <= 0) {
                throw new IllegalArgumentException("A time interval is positive");
            }
            if (timeInterval != null && kind != PskcKind.TOTP && kind != PskcKind.OCRA) {
                throw new IllegalArgumentException("Only time-based keys have a time interval");
            }
            if (validFrom != null && validUntil != null && validUntil.isBefore(validFrom)) {
                throw new IllegalArgumentException("A key expires after it starts");
            }
            return new PskcToken(this);
        }
    }
}
