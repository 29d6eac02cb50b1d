package org.countersign.protocol.internal;

import java.util.regex.Pattern;

/** The checks that protocol.md puts on fields that go into joined strings. */
public final class Fields {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private Fields() {
    }

    /** rid, iid, sn and cid: {@code [A-Za-z0-9-]{1,64}}, which also keeps {@code |} out. */
    public static boolean isId(String value) {
        return value != null && ID.matcher(value).matches();
    }

    /** @throws IllegalArgumentException naming the field, never echoing the value */
    public static String requireId(String name, String value) {
        if (!isId(value)) {
            throw new IllegalArgumentException(name + " must match [A-Za-z0-9-]{1,64}");
        }
        return value;
    }

    /** Joins with {@code |}, refusing a field that contains one (protocol.md, Notation). */
    public static String join(String... parts) {
        for (String part : parts) {
            if (part.indexOf('|') >= 0) {
                throw new IllegalArgumentException("A joined field may not contain |");
            }
        }
        return String.join("|", parts);
    }
}
