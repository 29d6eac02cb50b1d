package org.countersign.protocol;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongPredicate;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import org.countersign.protocol.internal.Base64Url;
import org.countersign.protocol.internal.Fields;
import org.countersign.protocol.internal.Hmac;
import org.countersign.protocol.internal.Json;
import org.countersign.secrets.ConstantTime;
import org.countersign.secrets.Randomness;
import org.countersign.secrets.Secret;

/**
 * Offline authentication data for a logon agent (protocol.md, "Offline authentication data"): for
 * every TOTP step {@code t} of {@code [firstStep, firstStep + n)}, the tag
 * {@code first 8 bytes of HMAC(K_off, "countersign/v1/offline|" + agentId + "|" + t + "|" + OTP_t)}, with
 * {@code K_off} from the PIN ({@link OfflineKey}). The agent can check a PIN+OTP against the tags,
 * and holds neither the token's key nor the PIN.
 *
 * <p>Server side: {@link #issue} draws the salt, derives {@code K_off}, computes the tags and wipes
 * every key; {@link #toJson()} writes the bundle exactly as protocol.md gives it. Agent side:
 * {@link #parse} reads it strictly and {@link #check} checks what the user typed. Every instance is
 * valid: a parsed bundle obeys the same rules as an issued one, but for the PIN length (see
 * {@link #MIN_PIN_LENGTH}).
 */
public final class OfflineBundle {

    public static final int VERSION = 1;
    public static final int SALT_LENGTH = 16;
    public static final int TAG_LENGTH = 8;
    /**
     * The most steps one bundle covers: 800,000 bytes of tags, about 35 days of 30-second steps.
     * It bounds the server's work for one bundle and what an agent accepts to read.
     */
    public static final int MAX_STEPS = 100_000;
    /**
     * The shortest PIN a server makes a bundle for: a bundle can be attacked offline, so protocol.md
     * asks at least 6 characters of users with offline data. Agents read any length from 1.
     */
    public static final int MIN_PIN_LENGTH = 6;
    /** The longest PIN: a server PIN has at most 64 characters. */
    public static final int MAX_PIN_LENGTH = 64;
    /** A user id in a bundle has 1 to 255 characters, as everywhere in Countersign. */
    public static final int MAX_USER_ID_LENGTH = 255;

    static final String TAG_LABEL = "countersign/v1/offline";
    /** A JSON integer of these fields: no sign, fraction or exponent, and small enough for any JSON reader (2^53). */
    private static final Pattern INTEGER = Pattern.compile("0|[1-9][0-9]{0,14}");
    private static final long MAX_STEP = (1L << 53) - 1;

    private final String userId;
    private final String agentId;
    private final String serialNumber;
    private final OtpPolicy otp;
    private final int pinLength;
    private final byte[] salt;
    private final int iterations;
    private final long firstStep;
    private final byte[] tags;

    private OfflineBundle(String userId, String agentId, String serialNumber, OtpPolicy otp, int pinLength, byte[] salt,
                          int iterations, long firstStep, byte[] tags) {
        this.userId = userId;
        this.agentId = agentId;
        this.serialNumber = serialNumber;
        this.otp = otp;
        this.pinLength = pinLength;
        this.salt = salt;
        this.iterations = iterations;
        this.firstStep = firstStep;
        this.tags = tags;
    }

    /**
     * Server side: a bundle over {@code steps} steps from {@code firstStep}, with a fresh 16-byte salt.
     * {@code K_off} and the PIN's characters are wiped before this returns; the caller still owns
     * {@code otpKey} and {@code pin}.
     *
     * @param otpKey {@code K_otp} of the credential, whose OTPs the tags cover
     * @param pin the user's server PIN, as UTF-8 bytes, {@link #MIN_PIN_LENGTH} to {@link #MAX_PIN_LENGTH} characters
     * @throws IllegalArgumentException when an argument breaks the rules above or of protocol.md
     *     (ids, a TOTP policy, 1 to {@link #MAX_STEPS} steps, the iterations of {@link OfflineKey})
     */
    public static OfflineBundle issue(String userId, String agentId, String serialNumber, OtpPolicy otp, Secret otpKey,
                                      Secret pin, long firstStep, int steps, int iterations) {
        return issue(userId, agentId, serialNumber, otp, otpKey, pin, firstStep, steps, iterations,
                Randomness.bytes(SALT_LENGTH));
    }

    /** As {@link #issue}, with a given salt: for the frozen vectors. */
    static OfflineBundle issue(String userId, String agentId, String serialNumber, OtpPolicy otp, Secret otpKey, Secret pin,
                               long firstStep, int steps, int iterations, byte[] salt) {
        requireUserId(userId);
        Fields.requireId("agentId", agentId);
        Fields.requireId("serialNumber", serialNumber);
        Objects.requireNonNull(otp, "otp");
        if (otp.kind() != OtpPolicy.Kind.TOTP) {
            throw new IllegalArgumentException("Only TOTP credentials can have offline data");
        }
        if (steps < 1 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("A bundle covers 1 to " + MAX_STEPS + " steps");
        }
        if (firstStep < 0 || firstStep + steps > MAX_STEP) {
            throw new IllegalArgumentException("Time steps are not negative and below 2^53");
        }
        OfflineKey.requireIterations(iterations);
        if (salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("The salt has " + SALT_LENGTH + " bytes");
        }
        int pinLength = pinLength(pin);
        if (pinLength < MIN_PIN_LENGTH || pinLength > MAX_PIN_LENGTH) {
            throw new IllegalArgumentException("A PIN for offline data has " + MIN_PIN_LENGTH + " to " + MAX_PIN_LENGTH
                    + " characters");
        }
        Secret offlineKey = OfflineKey.derive(pin, salt, iterations);
        try {
            byte[] tags = tags(offlineKey, agentId, otp, otpKey, firstStep, steps);
            return new OfflineBundle(userId, agentId, serialNumber, otp, pinLength, salt.clone(), iterations, firstStep, tags);
        } finally {
            offlineKey.destroy();
        }
    }

    /**
     * The tags of {@code steps} steps from {@code firstStep}, concatenated in step order: the HMAC
     * half of {@link #issue}, on its own for whoever measures it. One HMAC key per kind for all steps.
     */
    public static byte[] tags(Secret offlineKey, String agentId, OtpPolicy otp, Secret otpKey, long firstStep, int steps) {
        Fields.requireId("agentId", agentId);
        if (steps < 1 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("A bundle covers 1 to " + MAX_STEPS + " steps");
        }
        Mac otpMac = Hmac.keyed(otp.algorithm(), otpKey);
        Mac tagMac = Hmac.keyed(OtpAlgorithm.SHA256, offlineKey);
        byte[] tags = new byte[steps * TAG_LENGTH];
        ByteBuffer counter = ByteBuffer.allocate(Long.BYTES);
        for (int i = 0; i < steps; i++) {
            long step = firstStep + i;
            counter.clear();
            counter.putLong(step);
            String code = Truncation.dt(otpMac.doFinal(counter.array()), otp.digits());
            System.arraycopy(tag(tagMac, agentId, step, code), 0, tags, i * TAG_LENGTH, TAG_LENGTH);
        }
        return tags;
    }

    /** {@code tag_t}: the first 8 bytes of {@code HMAC(K_off, "countersign/v1/offline|" + agentId + "|" + t + "|" + otp)}. */
    public static byte[] tag(Secret offlineKey, String agentId, long step, String otp) {
        Fields.requireId("agentId", agentId);
        return tag(Hmac.keyed(OtpAlgorithm.SHA256, offlineKey), agentId, step, otp);
    }

    private static byte[] tag(Mac keyed, String agentId, long step, String otp) {
        byte[] message = Fields.join(TAG_LABEL, agentId, Long.toString(step), otp).getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(keyed.doFinal(message), TAG_LENGTH);
    }

    /**
     * Agent side: checks what the user typed, the PIN followed by the OTP. The first
     * {@link #pinLength()} characters are the PIN and the rest the OTP, which must be exactly the
     * policy's digits. {@code K_off} is derived once (also for input of the wrong form, so that the
     * time does not tell the form from a wrong PIN), then the current step, the one before and the
     * one after are checked, in that order; a step that {@code alreadyUsed} names, or that the bundle
     * does not cover, is never accepted. Tags are compared in constant time, all of them.
     *
     * @param typed what the user typed, as UTF-8 bytes; the caller still owns and wipes it
     * @param unixSeconds the agent's clock
     * @param alreadyUsed the steps this agent accepted before (an agent never accepts a step twice)
     */
    public OfflineCheck check(Secret typed, long unixSeconds, LongPredicate alreadyUsed) {
        long current = otp.timeStep(unixSeconds);
        long[] order = {current, current - 1, current + 1};
        if (Arrays.stream(order).noneMatch(this::covers)) {
            return OfflineCheck.NO_DATA;
        }
        char[] chars = decode(typed);
        String code = null;
        Secret pin = null;
        Secret offlineKey = null;
        try {
            boolean wellFormed = chars != null;
            int split = 0;
            if (wellFormed) {
                int codePoints = Character.codePointCount(chars, 0, chars.length);
                wellFormed = codePoints == pinLength + otp.digits();
                if (wellFormed) {
                    split = Character.offsetByCodePoints(chars, 0, chars.length, 0, pinLength);
                    code = new String(chars, split, chars.length - split);
                    wellFormed = otp.wellFormed(code);
                }
            }
            // Input of the wrong form costs a derivation all the same, over a PIN it cannot be.
            pin = wellFormed ? utf8(chars, 0, split) : Secret.copyOf(new byte[] {0});
            offlineKey = OfflineKey.derive(pin, salt, iterations);
            String candidate = wellFormed ? code : "0".repeat(otp.digits());
            Mac keyed = Hmac.keyed(OtpAlgorithm.SHA256, offlineKey);
            long matched = -1;
            for (long step : order) {
                if (!covers(step) || alreadyUsed.test(step)) {
                    continue;
                }
                boolean equal = ConstantTime.equal(tag(keyed, agentId, step, candidate), storedTag(step));
                matched = equal && matched < 0 ? step : matched;
            }
            return wellFormed && matched >= 0 ? OfflineCheck.accepted(matched) : OfflineCheck.REJECTED;
        } finally {
            if (chars != null) {
                Arrays.fill(chars, '\0');
            }
            if (pin != null) {
                pin.destroy();
            }
            if (offlineKey != null) {
                offlineKey.destroy();
            }
        }
    }

    /** The bundle's UTF-8 JSON text: protocol.md's members in its order, no white space. */
    public String toJson() {
        StringBuilder json = new StringBuilder(256 + tags.length * 4 / 3);
        json.append("{\"v\":").append(VERSION).append(",\"userId\":");
        Json.quote(json, userId).append(",\"agentId\":");
        Json.quote(json, agentId).append(",\"serialNumber\":");
        Json.quote(json, serialNumber).append(",\"otp\":");
        Json.quote(json, otp.format()).append(",\"pinLength\":").append(pinLength).append(",\"salt\":");
        Json.quote(json, Base64Url.encode(salt)).append(",\"iterations\":").append(iterations)
                .append(",\"firstStep\":").append(firstStep).append(",\"tags\":");
        return Json.quote(json, Base64Url.encode(tags)).append('}').toString();
    }

    /**
     * Agent side: reads a bundle. Members may come in any order with JSON white space; unknown
     * members are ignored (as unknown URI parameters are); duplicates, a missing member or one of the
     * wrong type or value are refused, and so is a bundle with fewer than 100,000 iterations.
     *
     * @throws MalformedMessageException naming the rule that was broken, never a value
     */
    public static OfflineBundle parse(String json) {
        String what = "offline bundle";
        Object root;
        try {
            root = Json.parse(Objects.requireNonNull(json, "json"));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(what + ": " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> object)) {
            throw new MalformedMessageException(what + ": not a JSON object");
        }
        if (integer(object, "v") != VERSION) {
            throw new MalformedMessageException(what + ": v must be 1");
        }
        String userId = string(object, "userId");
        if (userId.isEmpty() || userId.length() > MAX_USER_ID_LENGTH) {
            throw new MalformedMessageException(what + ": userId has 1 to " + MAX_USER_ID_LENGTH + " characters");
        }
        String agentId = id(object, "agentId");
        String serialNumber = id(object, "serialNumber");
        OtpPolicy otp;
        try {
            otp = OtpPolicy.parse(string(object, "otp"));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(what + ": otp is not an otp policy of protocol.md");
        }
        if (otp.kind() != OtpPolicy.Kind.TOTP) {
            throw new MalformedMessageException(what + ": otp must be a TOTP policy");
        }
        long pinLength = integer(object, "pinLength");
        if (pinLength < 1 || pinLength > MAX_PIN_LENGTH) {
            throw new MalformedMessageException(what + ": pinLength must be 1 to " + MAX_PIN_LENGTH);
        }
        byte[] salt = bytes(object, "salt");
        if (salt.length != SALT_LENGTH) {
            throw new MalformedMessageException(what + ": salt must be " + SALT_LENGTH + " bytes");
        }
        long iterations = integer(object, "iterations");
        if (iterations < OfflineKey.MIN_ITERATIONS) {
            throw new MalformedMessageException(what + ": iterations below " + OfflineKey.MIN_ITERATIONS + " are refused");
        }
        if (iterations > OfflineKey.MAX_ITERATIONS) {
            throw new MalformedMessageException(what + ": iterations above " + OfflineKey.MAX_ITERATIONS + " are refused");
        }
        long firstStep = integer(object, "firstStep");
        byte[] tags = bytes(object, "tags");
        if (tags.length == 0 || tags.length % TAG_LENGTH != 0 || tags.length / TAG_LENGTH > MAX_STEPS) {
            throw new MalformedMessageException(what + ": tags must be 1 to " + MAX_STEPS + " tags of " + TAG_LENGTH + " bytes");
        }
        if (firstStep + tags.length / TAG_LENGTH > MAX_STEP) {
            throw new MalformedMessageException(what + ": the steps must stay below 2^53");
        }
        return new OfflineBundle(userId, agentId, serialNumber, otp, (int) pinLength, salt, (int) iterations, firstStep, tags);
    }

    public String userId() {
        return userId;
    }

    public String agentId() {
        return agentId;
    }

    public String serialNumber() {
        return serialNumber;
    }

    public OtpPolicy otp() {
        return otp;
    }

    /** How many characters of what the user types are the PIN. */
    public int pinLength() {
        return pinLength;
    }

    public byte[] salt() {
        return salt.clone();
    }

    public int iterations() {
        return iterations;
    }

    public long firstStep() {
        return firstStep;
    }

    /** The step after the last one covered: the bundle covers {@code [firstStep, endStep)}. */
    public long endStep() {
        return firstStep + stepCount();
    }

    public int stepCount() {
        return tags.length / TAG_LENGTH;
    }

    public boolean covers(long step) {
        return step >= firstStep && step < endStep();
    }

    /** When the first step covered begins. */
    public Instant validFrom() {
        return Instant.ofEpochSecond(firstStep * otp.periodSeconds());
    }

    /** When the last step covered ends. */
    public Instant validUntil() {
        return Instant.ofEpochSecond(endStep() * otp.periodSeconds());
    }

    /** The concatenated tags, in step order. */
    public byte[] tags() {
        return tags.clone();
    }

    private byte[] storedTag(long step) {
        int offset = Math.toIntExact(step - firstStep) * TAG_LENGTH;
        return Arrays.copyOfRange(tags, offset, offset + TAG_LENGTH);
    }

    private static void requireUserId(String userId) {
        if (userId == null || userId.isEmpty() || userId.length() > MAX_USER_ID_LENGTH) {
            throw new IllegalArgumentException("userId has 1 to " + MAX_USER_ID_LENGTH + " characters");
        }
    }

    /** Characters of a PIN given as UTF-8 bytes; refuses bytes that are not UTF-8. */
    private static int pinLength(Secret pin) {
        char[] chars = decode(pin);
        if (chars == null) {
            throw new IllegalArgumentException("The PIN is not UTF-8");
        }
        try {
            return Character.codePointCount(chars, 0, chars.length);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** Strict UTF-8 to characters; null for bytes that are not UTF-8. The caller wipes the result. */
    private static char[] decode(Secret text) {
        byte[] bytes = text.reveal();
        CharBuffer buffer = null;
        try {
            buffer = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            char[] chars = new char[buffer.remaining()];
            buffer.get(chars);
            return chars;
        } catch (CharacterCodingException e) {
            return null;
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (buffer != null && buffer.hasArray()) {
                Arrays.fill(buffer.array(), '\0');
            }
        }
    }

    private static Secret utf8(char[] chars, int from, int to) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars, from, to - from));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        try {
            return Secret.copyOf(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }

    private static String string(Map<?, ?> object, String name) {
        Object value = object.get(name);
        if (value instanceof String text) {
            return text;
        }
        throw new MalformedMessageException("offline bundle: " + name + (value == null ? " is missing" : " is not a string"));
    }

    private static String id(Map<?, ?> object, String name) {
        String value = string(object, name);
        if (!Fields.isId(value)) {
            throw new MalformedMessageException("offline bundle: " + name + " must match [A-Za-z0-9-]{1,64}");
        }
        return value;
    }

    private static long integer(Map<?, ?> object, String name) {
        Object value = object.get(name);
        if (!(value instanceof Json.JsonNumber number)) {
            throw new MalformedMessageException("offline bundle: " + name + (value == null ? " is missing" : " is not a number"));
        }
        if (!INTEGER.matcher(number.text()).matches()) {
            throw new MalformedMessageException("offline bundle: " + name
                    + " must be a non-negative integer without fraction or exponent, below 2^53");
        }
        return Long.parseLong(number.text());
    }

    private static byte[] bytes(Map<?, ?> object, String name) {
        try {
            return Base64Url.decode(string(object, name));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("offline bundle: " + name + " is not canonical base64url");
        }
    }

    @Override
    public String toString() {
        return "OfflineBundle[" + agentId + ", " + serialNumber + ", " + otp + ", steps " + firstStep + ".." + endStep()
                + ", " + iterations + " iterations]";
    }
}
