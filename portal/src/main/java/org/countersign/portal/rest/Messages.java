package org.countersign.portal.rest;

import java.util.Map;

/**
 * What a page says for each problem: plain words for the user, one message per problem type. A page never
 * shows a service's own title, detail, status or type (those are for developers).
 */
final class Messages {

    static final String GENERIC = "Something went wrong. Please try again; if it keeps happening, contact your bank.";

    private static final Map<String, String> ACTIVATION = Map.ofEntries(
            Map.entry("invalid-device-code", "That device code has a typo: it has 14 digits, and the last one checks the "
                    + "others. Type it again exactly as your device shows it."),
            Map.entry("signature-format", "The signature has 8 digits. Type it exactly as your device shows it."),
            Map.entry("first-code-format", "The code has 6 digits (some apps show 8). Type the code your app shows now."),
            Map.entry("validation", "What you typed is not in the right form. Type it again exactly as your device shows it."),
            Map.entry("wrong-activation-signature", "That signature is wrong. Make sure your device scanned the code on "
                    + "this page, then type the signature it shows."),
            Map.entry("wrong-activation-otp", "That code is wrong. Check that your phone's clock is right, then type the "
                    + "code the app shows now."),
            Map.entry("activation-state-conflict", "This step was already done once and cannot be repeated. Start again to "
                    + "get a new code."),
            Map.entry("registration-expired", "This activation has expired: it has to be finished within the time your bank "
                    + "allows. Start again to get a new code."),
            Map.entry("activation-failed", "This activation was stopped after too many wrong codes. Start again to get a "
                    + "new code."),
            Map.entry("registration-closed", "This activation was cancelled. Start again if you still want to activate this "
                    + "device."),
            Map.entry("instance-not-migratable", "This device can no longer be moved to your phone: it was removed, or it "
                    + "is already online."),
            Map.entry("wrong-activation-type", "This activation can no longer be finished. Start again."),
            Map.entry("unknown-registration", "This activation can no longer be finished. Start again."),
            Map.entry("licence-activation-limit", "This device's licence has no activations left (licence activation limit "
                    + "reached). Remove a device you no longer use, or ask your bank for another licence."),
            Map.entry("user-authenticator-limit", "You already have as many devices of this kind as your bank allows, "
                    + "activations in progress included. Remove one you no longer use first."),
            Map.entry("no-free-licence", "There is no device of this kind left to hand out right now. Please ask your bank."),
            Map.entry("activation-type-not-allowed", "Your bank does not allow this device to be activated this way."),
            Map.entry("licence-assigned-elsewhere", "This device cannot be activated for you. Please ask your bank."),
            Map.entry("licence-revoked", "This device's licence was withdrawn. Please ask your bank."),
            Map.entry("licence-type-mismatch", "This device cannot be activated this way. Please ask your bank."),
            Map.entry("unknown-licence", "This device cannot be activated for you. Please ask your bank."),
            Map.entry("user-deactivated", "Your account cannot activate devices. Please ask your bank."),
            Map.entry("unknown-instance", "This device is not one of yours any more."),
            Map.entry("device-ca-unavailable", "Phones cannot be activated right now. Please try again later."),
            Map.entry("choice-unavailable", "That choice is not available any more. Please choose again."));

    private Messages() {
    }

    /** The sentence for an activation problem, with the attempts left when a wrong code was counted. */
    static String activation(String type, Integer attemptsLeft) {
        String message = ACTIVATION.getOrDefault(type, GENERIC);
        if (attemptsLeft != null && attemptsLeft > 0) {
            message += attemptsLeft == 1 ? " You have 1 attempt left." : " You have " + attemptsLeft + " attempts left.";
        }
        return message;
    }

    static String signInRejected() {
        return "The user ID or the code is wrong. Type the code your device shows now (after your PIN, if you have one).";
    }

    static String signInMalformed() {
        return "Type your user ID, and the code your device shows (after your PIN, if you have one).";
    }

    static String signInLocked(Long retryAfterSeconds) {
        if (retryAfterSeconds == null) {
            return "Too many wrong codes: sign-in is locked. Please ask your bank to unlock it.";
        }
        long minutes = Math.max(1, (retryAfterSeconds + 59) / 60);
        return "Too many wrong codes: sign-in is locked for now. Try again in " + (minutes == 1 ? "a minute." : minutes + " minutes.");
    }

    /** What the devices page says happened, from the session's notice. */
    static String notice(String kind, String serialNumber) {
        String device = serialNumber == null ? "Your device" : "Device " + serialNumber;
        return switch (kind) {
            case "activated" -> device + " is activated. You can sign in with it now.";
            case "migrated" -> device + " is now on your phone. Its codes stay the same.";
            case "removed" -> device + " is removed: it can no longer sign you in.";
            case "cancelled" -> "The activation was cancelled.";
            default -> null;
        };
    }
}
