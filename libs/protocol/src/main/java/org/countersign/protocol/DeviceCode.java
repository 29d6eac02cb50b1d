package org.countersign.protocol;

import java.util.Arrays;
import org.countersign.protocol.internal.Luhn;
import org.countersign.secrets.ConstantTime;
import org.countersign.secrets.Randomness;

/**
 * The device code {@code DC} of offline activation: 5 random bytes {@code dn} that the device draws,
 * shown as their big-endian value {@code N} in 13 zero-padded digits plus a Luhn check digit.
 * {@code dn} salts {@code K_act}, so the code is treated as a secret: toString hides it, and it
 * has no equals, only a constant-time {@link #sameAs}.
 */
public final class DeviceCode {

    public static final int DN_LENGTH = 5;
    public static final int LENGTH = 14;
    private static final long LIMIT = 1L << 40;

    private final byte[] dn;

    private DeviceCode(byte[] dn) {
        this.dn = dn;
    }

    /** Device side: a fresh code from the one source of randomness. */
    public static DeviceCode random() {
        return new DeviceCode(Randomness.bytes(DN_LENGTH));
    }

    /** @param dn exactly 5 bytes */
    public static DeviceCode ofDn(byte[] dn) {
        if (dn == null || dn.length != DN_LENGTH) {
            throw new IllegalArgumentException("dn has 5 bytes");
        }
        return new DeviceCode(dn.clone());
    }

    /**
     * Server side: reads a typed code. Only U+0020 spaces are removed, anywhere; nothing else is
     * forgiven (no other white space, no dashes, no non-ASCII digits).
     *
     * @throws MalformedDeviceCodeException with the reason, which maps to a 400 that uses no attempt
     */
    public static DeviceCode parse(String typed) {
        String digits = typed == null ? "" : typed.replace(" ", "");
        if (!Luhn.asciiDigits(digits)) {
            throw new MalformedDeviceCodeException(
                    digits.isEmpty() ? MalformedDeviceCodeException.Reason.WRONG_LENGTH : MalformedDeviceCodeException.Reason.NOT_DIGITS);
        }
        if (digits.length() != LENGTH) {
            throw new MalformedDeviceCodeException(MalformedDeviceCodeException.Reason.WRONG_LENGTH);
        }
        if (!Luhn.valid(digits)) {
            throw new MalformedDeviceCodeException(MalformedDeviceCodeException.Reason.CHECK_DIGIT);
        }
        long n = Long.parseLong(digits.substring(0, LENGTH - 1));
        if (n >= LIMIT) {
            throw new MalformedDeviceCodeException(MalformedDeviceCodeException.Reason.OUT_OF_RANGE);
        }
        byte[] dn = new byte[DN_LENGTH];
        for (int i = DN_LENGTH - 1; i >= 0; i--) {
            dn[i] = (byte) n;
            n >>>= 8;
        }
        return new DeviceCode(dn);
    }

    /** The 5 bytes {@code dn}, a copy: the HKDF salt of {@code K_act}. */
    public byte[] dn() {
        return dn.clone();
    }

    /** The 14 digits without spaces, as {@code DC} enters every computation. */
    public String digits() {
        long n = 0;
        for (byte b : dn) {
            n = n << 8 | (b & 0xFF);
        }
        // Not String.format: some default locales would write non-ASCII digits.
        String text = Long.toString(n);
        String payload = "0".repeat(LENGTH - 1 - text.length()) + text;
        return payload + Luhn.checkDigit(payload);
    }

    /** {@code dddd dddd dddd dd}, as a device shows the code. */
    public String display() {
        String d = digits();
        return d.substring(0, 4) + ' ' + d.substring(4, 8) + ' ' + d.substring(8, 12) + ' ' + d.substring(12);
    }

    public boolean sameAs(DeviceCode other) {
        return other != null && ConstantTime.equal(dn, other.dn);
    }

    /** Zeroes {@code dn} once the activation is over. */
    public void destroy() {
        Arrays.fill(dn, (byte) 0);
    }

    @Override
    public String toString() {
        return "DeviceCode[14 digits]";
    }
}
