package org.countersign.secrets;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * What a sealed value is and whom it belongs to, bound into its seal: the purpose (for example
 * {@code activation-password}) and the owner (the row, event subject or object it was sealed for, for
 * example {@code registration|bank.example|alice|8c1f...}). A value opens only under the binding it was
 * sealed with, so a value copied into another row or another event, or read as something else, does not
 * open.
 *
 * <p>The bound bytes are {@code <label>|<purpose>|<owner>} in UTF-8, the label naming the scheme
 * ({@code countersign/v2/sealed} for key rings, {@code countersign/v2/transport} for HPKE). A purpose
 * never holds {@code |}, and {@link #of} escapes each part of an owner, so two different bindings never
 * give the same bytes.
 */
public record Binding(String purpose, String owner) {

    private static final Pattern PURPOSE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,63}");
    private static final int MAX_OWNER_LENGTH = 2048;

    public Binding {
        if (purpose == null || !PURPOSE.matcher(purpose).matches()) {
            throw new IllegalArgumentException("A sealing purpose is 1 to 64 characters of [A-Za-z0-9._/-]");
        }
        if (owner == null || owner.isEmpty() || owner.length() > MAX_OWNER_LENGTH || owner.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("A sealed value's owner is 1 to " + MAX_OWNER_LENGTH + " characters, none of them control characters");
        }
    }

    /**
     * The binding of a value to the owner named by {@code ownerParts}, e.g. {@code of("otp-key", "credential", id)}:
     * the parts are joined with {@code |}, each with {@code \} and {@code |} escaped, so that no part can
     * pass for two.
     */
    public static Binding of(String purpose, String... ownerParts) {
        if (ownerParts.length == 0) {
            throw new IllegalArgumentException("A sealed value has an owner");
        }
        StringBuilder owner = new StringBuilder();
        for (String part : ownerParts) {
            if (part == null || part.isEmpty()) {
                throw new IllegalArgumentException("Every part of a sealed value's owner is named");
            }
            if (!owner.isEmpty()) {
                owner.append('|');
            }
            owner.append(part.replace("\\", "\\\\").replace("|", "\\|"));
        }
        return new Binding(purpose, owner.toString());
    }

    /** The same owner under a purpose within {@code context}, e.g. {@code at-rest/} + {@code otp-key}. */
    public Binding within(String context) {
        return new Binding(context + purpose, owner);
    }

    /** {@code <label>|<purpose>|<owner>} in UTF-8: the associated data or HPKE info of a seal. */
    byte[] bytes(String label) {
        return (label + "|" + purpose + "|" + owner).getBytes(StandardCharsets.UTF_8);
    }
}
