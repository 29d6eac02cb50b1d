package org.countersign.push.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.countersign.push.domain.AuthType;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.PushRequest;
import org.countersign.web.Problem;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What the server sends a device, over its channel or in the answer to a poll: the exact JSON shapes of
 * push-service/README.md ("Device protocol"). Each message is an object whose {@code type} comes first.
 */
@ApplicationScoped
public class DeviceMessages {

    public static final String PUSH_REQUEST = "push-request";
    public static final String PUSH_CLOSED = "push-closed";
    public static final String CONFIG = "config";
    public static final String WELCOME = "welcome";
    public static final String PUSH_RESPONSE_RESULT = "push-response-result";
    public static final String CONFIG_ACKED = "config-acked";
    public static final String ERROR = "error";

    /** protocol.md's push request, as the device receives it; {@code fields} is always present, numberOptions only with number matching. */
    @Schema(name = "DevicePushRequest", description = "protocol.md's push request, as the device receives it")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PushRequestMessage(
            @Schema(description = "push-request") String type,
            String requestId,
            @Schema(description = "base64url of 32 random bytes; signed as received") String challenge,
            String message,
            @Schema(description = "[{name, value}], in order", implementation = Field[].class) @JsonRawValue String fields,
            @Schema(description = "Three numbers, one of them the app's displayNumber; absent without number matching")
            List<Integer> numberOptions,
            Instant createdAt,
            Instant expiresAt) {
    }

    /** A field of a push request, as the device shows it. */
    @Schema(name = "DeviceField")
    public record Field(String name, String value) {
    }

    /** A request the device was sent is no longer open: answered (on this or another device) or expired. */
    public record PushClosedMessage(String type, String requestId, String status) {
    }

    /** The authentication types an admin set; the device acknowledges {@code version}. */
    @Schema(name = "DeviceConfig", description = "The authentication types an admin set; acknowledge version")
    public record ConfigMessage(@Schema(description = "config") String type, int version,
                                @Schema(description = "otp, push, signature") List<String> authTypes) {
    }

    /** The first message on a new connection. */
    public record WelcomeMessage(String type, String instanceId, String connectionId, long pingIntervalSeconds,
                                 long heartbeatTimeoutSeconds, Instant serverTime) {
    }

    /** The answer to a push-response sent over the channel. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PushResponseResultMessage(String type, String requestId, String status, String reason) {
    }

    /** The answer to a config-ack sent over the channel. */
    public record ConfigAckedMessage(String type, int version) {
    }

    /** A message the server could not act on: the problem is the one HTTP would have answered. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorMessage(String type, String inReplyTo, String requestId, Problem problem) {
    }

    private final ObjectMapper mapper;

    public DeviceMessages(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public PushRequestMessage pushRequest(PushRequest request) {
        return new PushRequestMessage(PUSH_REQUEST, request.id, request.challenge, request.message,
                request.fields == null ? "[]" : request.fields, request.numberOptionList(),
                request.createdAt.truncatedTo(ChronoUnit.MILLIS), request.expiresAt);
    }

    public ConfigMessage config(Device device) {
        return new ConfigMessage(CONFIG, device.configVersion, AuthType.wireNames(device.authTypes()));
    }

    public String json(Object message) {
        try {
            return mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A device message cannot be written: " + e.getOriginalMessage());
        }
    }
}
