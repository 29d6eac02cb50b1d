package org.countersign.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Comparison of MACs, codes, OTPs and tokens without leaking where they differ. */
public final class ConstantTime {

    private ConstantTime() {
    }

    public static boolean equal(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    /** Compares the UTF-8 bytes; only the lengths can leak, and codes have public lengths. */
    public static boolean equal(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
