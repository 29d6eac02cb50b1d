package org.countersign.device;

/**
 * What the device's screen may show of text that came from outside (issuer, account, message,
 * fields, server answers). Control characters (C0, DEL, C1, tab included), format characters
 * (bidirectional overrides, zero-width characters, soft hyphen, byte order mark) and line and
 * paragraph separators are shown as {@code <U+XXXX>}, so that nothing can hide, reorder or
 * overwrite text on a terminal. Everything else is shown as it is.
 */
final class Display {

    private Display() {
    }

    static String safe(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (hidden(cp)) {
                out.append(String.format(java.util.Locale.ROOT, "<U+%04X>", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    private static boolean hidden(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE || type == Character.PRIVATE_USE
                || type == Character.UNASSIGNED;
    }
}
