package org.countersign.portal.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.countersign.portal.domain.ActivationChoice;
import org.countersign.portal.domain.Device;
import org.countersign.portal.domain.FlowKind;
import org.countersign.portal.domain.PendingApproval;

/** What the templates show, already in words: no template formats or decides anything. */
public final class Rows {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private Rows() {
    }

    /** A time for people, and for machines (the datetime attribute of a time element). */
    public record When(String text, String iso) {
        static When of(Instant instant) {
            return instant == null ? null : new When(WHEN.format(instant), instant.toString());
        }
    }

    /** One row of "My devices". */
    public record DeviceRow(String instanceId, String serialNumber, String kind, When activated, boolean online,
                            boolean rescannable, String platform, String deviceName, String biometric, String lastSync,
                            When lastSyncAt) {

        static DeviceRow of(Device device, boolean pushAvailable) {
            var instance = device.instance();
            boolean online = "online".equals(instance.mode());
            String kind = switch (instance.mode()) {
                case "offline" -> "Offline device (QR code)";
                case "online" -> instance.migratedAt() != null ? "Online device (moved from offline)" : "Online device (phone app)";
                case "otpauth" -> "Authenticator app";
                default -> instance.mode();
            };
            String biometric = null;
            String lastSync = null;
            When lastSyncAt = null;
            if (online) {
                if (!pushAvailable) {
                    biometric = "Not available right now";
                    lastSync = "Not available right now";
                } else if (device.push() == null) {
                    biometric = "Unknown";
                    lastSync = "Never";
                } else {
                    biometric = device.push().biometric() ? "Yes" : "No";
                    lastSyncAt = When.of(device.push().lastSyncAt());
                    lastSync = lastSyncAt == null ? "Never" : null;
                }
            }
            return new DeviceRow(instance.instanceId(), instance.serialNumber(), kind, When.of(instance.activatedAt()), online,
                    "offline".equals(instance.mode()), platform(instance.platform()), instance.deviceName(), biometric, lastSync,
                    lastSyncAt);
        }

        private static String platform(String platform) {
            if (platform == null) {
                return null;
            }
            return switch (platform) {
                case "android" -> "Android";
                case "ios" -> "iOS";
                case "web" -> "Web";
                default -> "Other";
            };
        }
    }

    /** A push request waiting for the user: what it asks, and the number to pick on the phone. */
    public record ApprovalRow(String id, String message, List<PendingApproval.Field> fields, String number, When expires) {
        static ApprovalRow of(PendingApproval approval) {
            return new ApprovalRow("approval-" + approval.requestId(), approval.message(),
                    approval.fields() == null ? List.of() : approval.fields(),
                    approval.displayNumber() == null ? null : approval.displayNumber().toString(), When.of(approval.expiresAt()));
        }

        /**
         * What the page's script compares /devices/approvals with: a digest of the ids of the requests shown
         * ("none" when none), so that the page reloads when one comes or goes, and only then. Hex, so that it is
         * safe in JSON and an attribute whatever the ids, and short however many there are.
         */
        static String stateOf(List<PendingApproval> approvals) {
            if (approvals.isEmpty()) {
                return "none";
            }
            String ids = approvals.stream().map(PendingApproval::requestId).collect(Collectors.joining(","));
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(ids.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest, 0, 12);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("Every Java has SHA-256", e);
            }
        }
    }

    /** One radio button of the activation page. */
    public record ChoiceRow(String id, String value, String label, String hint) {

        static ChoiceRow of(ActivationChoice choice, int index) {
            String how = switch (choice.kind()) {
                case OFFLINE -> "offline: scan two codes with the device's camera";
                case ONLINE -> "on a phone: scan one code with the app";
                case OTPAUTH -> "in an authenticator app (Google Authenticator, Microsoft Authenticator, Aegis...)";
                case RESCAN -> "move online";
            };
            String what = choice.serialNumber() == null ? "A new " + choice.authenticatorType() : choice.serialNumber();
            String hint = choice.serialNumber() == null ? "From your bank's stock of " + choice.authenticatorType() + " licences."
                    : choice.authenticatorType() + ", " + (choice.activationsLeft() == 1 ? "1 activation left."
                            : choice.activationsLeft() + " activations left.");
            return new ChoiceRow("choice-" + index, choice.value(), what + ": " + how, hint);
        }
    }

    /** The page of the activation step under way. */
    public record StepRow(String kind, String serialNumber, String heading, String instructions, String image, String imageAlt,
                          String field, String fieldLabel, String fieldHint, String action,
                          String error, boolean ended, boolean polls, boolean preparing, When expires) {

        /** What the page's script compares /activate/status with: it reloads the page when that changes. */
        public String pollState() {
            return preparing ? "preparing" : "waiting";
        }

        static String kindOf(FlowKind kind) {
            return switch (kind) {
                case OFFLINE -> "offline";
                case ONLINE -> "online";
                case OTPAUTH -> "otpauth";
                case RESCAN -> "rescan";
            };
        }
    }
}
