package org.countersign.secrets;

import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys as configuration carries them: {@code kid1:base64,kid2:base64}, standard or URL-safe base64, each
 * key id 1 to 32 characters of {@code [A-Za-z0-9_-]} (the id a {@link SealedValue} names).
 */
final class KeyText {

    private KeyText() {
    }

    /**
     * @param what what the keys are, for messages, e.g. "sealing key"
     * @return the keys by id, in the order written; the caller wipes the arrays
     */
    static Map<String, byte[]> parse(String text, int length, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("No " + what + " is configured");
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            String[] parts = entry.trim().split(":", 2);
            if (parts.length != 2) {
                wipe(keys);
                throw new IllegalArgumentException("A " + what + " is written keyId:base64 (" + length + " bytes)");
            }
            String keyId = parts[0].trim();
            byte[] bytes;
            try {
                String base64 = parts[1].trim();
                bytes = base64.contains("-") || base64.contains("_") ? Base64.getUrlDecoder().decode(base64)
                        : Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                wipe(keys);
                throw new IllegalArgumentException("The " + what + " '" + keyId + "' is not base64");
            }
            if (bytes.length != length) {
                Arrays.fill(bytes, (byte) 0);
                wipe(keys);
                throw new IllegalArgumentException("The " + what + " '" + keyId + "' must have " + length + " bytes, not " + bytes.length);
            }
            SealedValue.requireKeyId(keyId);
            if (keys.put(keyId, bytes) != null) {
                wipe(keys);
                throw new IllegalArgumentException("The " + what + " id '" + keyId + "' is listed twice");
            }
        }
        return keys;
    }

    static String format(String keyId, byte[] key) {
        return SealedValue.requireKeyId(keyId) + ":" + Base64.getEncoder().encodeToString(key);
    }

    static void wipe(Map<String, byte[]> keys) {
        keys.values().forEach(bytes -> Arrays.fill(bytes, (byte) 0));
    }
}
