package org.countersign.device;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.countersign.protocol.PushDecision;
import org.countersign.protocol.TransactionField;

/**
 * {@code device listen} and {@code device pending}: the phone's side of a push approval. Each request is
 * shown with its message, fields and numbers; the answer is given interactively (a number to approve, d
 * to deny, Enter to leave it) or for scripts with {@code --approve N} or {@code --deny}. A device may only
 * pick one of the numbers it was shown, as a real one does.
 */
final class PushCommands {

    /** How to answer: interactively (neither), approve with a number (or without, when the request has none), or deny. */
    record Answering(boolean approve, Integer number, boolean deny) {

        static final Answering INTERACTIVE = new Answering(false, null, false);

        boolean interactive() {
            return !approve && !deny;
        }
    }

    private final PushDevice device;
    private final PrintStream out;
    private final BufferedReader input;
    private final Clock clock;
    private final boolean quiet;

    PushCommands(PushDevice device, PrintStream out, BufferedReader input, Clock clock, boolean quiet) {
        this.device = device;
        this.out = out;
        this.input = input;
        this.clock = clock;
        this.quiet = quiet;
    }

    /** Lists what is pending; with an answer given, answers the oldest request by POST. */
    void pending(Answering answering) {
        List<PushDevice.Request> requests = device.pending();
        if (!answering.interactive()) {
            if (requests.isEmpty()) {
                throw new DeviceException(DeviceException.Kind.REFUSED, "No push request is pending for this device.");
            }
            PushDevice.Request request = requests.get(0);
            show(request);
            PushDecision decision = decide(request, answering);
            if (decision == null) {
                return;
            }
            PushDevice.Outcome outcome = device.answer(request, decision, number(request, decision, answering));
            result(request.requestId(), outcome.status(), outcome.reason());
            return;
        }
        if (quiet) {
            requests.forEach(r -> out.println(r.requestId()));
            return;
        }
        if (requests.isEmpty()) {
            out.println("No push request is pending for this device (" + device.base() + ").");
            return;
        }
        requests.forEach(this::show);
        out.println("Answer one: ./countersign device pending --approve NUMBER (or --deny) answers the oldest.");
    }

    /**
     * Holds the channel open and answers each request as it comes, over the channel. Returns after the
     * first answer with {@code once}; fails when nothing came within {@code wait} (null: no limit) or the
     * server closed the channel.
     */
    void listen(Answering answering, boolean once, Duration wait) throws InterruptedException {
        Instant deadline = wait == null ? null : clock.instant().plus(wait);
        Set<String> seen = new HashSet<>();
        Deque<PushDevice.Message> later = new ArrayDeque<>();
        try (PushDevice.Channel channel = device.connect()) {
            while (true) {
                PushDevice.Message message = later.isEmpty() ? next(channel, deadline) : later.poll();
                JsonNode json = message.json();
                switch (message.type()) {
                    case "welcome" -> {
                        if (!quiet) {
                            out.println("Connected to " + device.base() + " as instance " + json.path("instanceId").asText()
                                    + ". Waiting for push requests" + (once ? "" : "; Ctrl-C to stop") + ".");
                        }
                    }
                    case "push-request" -> {
                        PushDevice.Request request = PushDevice.Request.of(json);
                        if (!seen.add(request.requestId())) {
                            continue; // sent twice while connecting: de-duplicated by id, as the protocol asks
                        }
                        show(request);
                        PushDecision decision = decide(request, answering);
                        if (decision == null) {
                            continue;
                        }
                        channel.send(device.responseJson(request, decision, number(request, decision, answering), true));
                        awaitResult(channel, request.requestId(), deadline, later);
                        if (once) {
                            return;
                        }
                    }
                    case "push-closed" -> say("Request " + json.path("requestId").asText() + " was answered on another device ("
                            + json.path("status").asText() + ").");
                    case "config" -> {
                        say("Configuration " + json.path("version").asInt() + ": authentication types "
                                + json.path("authTypes").toString() + "; acknowledged.");
                        channel.send(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("type", "config-ack")
                                .put("version", json.path("version").asInt()));
                    }
                    case "config-acked" -> {
                        // the acknowledgement of the acknowledgement: nothing to show
                    }
                    case "closed" -> throw closed(json);
                    default -> say("Message of type " + Display.safe(message.type()) + ": " + Display.safe(json.toString()));
                }
            }
        }
    }

    private PushDevice.Message next(PushDevice.Channel channel, Instant deadline) throws InterruptedException {
        Duration left = deadline == null ? Duration.ofDays(365) : Duration.between(clock.instant(), deadline);
        PushDevice.Message message = left.isNegative() ? null : channel.next(left);
        if (message == null) {
            throw new DeviceException(DeviceException.Kind.REFUSED, "No push request came within the --wait time.");
        }
        return message;
    }

    /** Waits for the server's verdict on our answer; other messages meanwhile are kept for later. */
    private void awaitResult(PushDevice.Channel channel, String requestId, Instant deadline, Deque<PushDevice.Message> later)
            throws InterruptedException {
        Instant until = clock.instant().plusSeconds(30);
        while (true) {
            PushDevice.Message message = next(channel, deadline == null || deadline.isAfter(until) ? until : deadline);
            JsonNode json = message.json();
            if (message.type().equals("push-response-result") && requestId.equals(json.path("requestId").asText())) {
                result(requestId, json.path("status").asText(), json.path("reason").asText(null));
                return;
            }
            if (message.type().equals("error") && requestId.equals(json.path("requestId").asText())) {
                JsonNode problem = json.path("problem");
                String type = problem.path("type").asText("");
                throw new DeviceException(DeviceException.Kind.SERVER, "The push-service refused the answer ("
                        + problem.path("status").asInt() + ", " + Display.safe(type.substring(type.lastIndexOf('/') + 1)) + ": "
                        + Display.safe(problem.path("detail").asText("")) + ").");
            }
            if (message.type().equals("closed")) {
                throw closed(json);
            }
            later.add(message);
        }
    }

    private static DeviceException closed(JsonNode json) {
        int code = json.path("code").asInt();
        String why = switch (code) {
            case 1012 -> "the service is restarting; listen again";
            case 4403 -> "this instance was revoked";
            case 4409 -> "another connection of this device replaced it";
            case 1001 -> "the server heard nothing from this device for too long";
            default -> Display.safe(json.path("reason").asText(""));
        };
        return new DeviceException(DeviceException.Kind.SERVER, "The push channel closed (" + code + (why.isBlank() ? "" : ": " + why)
                + ").");
    }

    /** The decision for one request: from the options, or asked for; null to leave it unanswered. */
    private PushDecision decide(PushDevice.Request request, Answering answering) {
        if (answering.deny()) {
            return PushDecision.DENY;
        }
        if (answering.approve()) {
            if (request.numberMatching() && (answering.number() == null || !request.numberOptions().contains(answering.number()))) {
                throw new DeviceException(DeviceException.Kind.REFUSED, (answering.number() == null ? "This request asks for a number"
                        : answering.number() + " is not among this request's numbers") + " ("
                        + numbers(request) + "): approve with the one the application shows, --approve NUMBER.");
            }
            return PushDecision.APPROVE;
        }
        out.print(request.numberMatching() ? "Approve: type the number the application shows (" + numbers(request)
                + "); d to deny; Enter to leave it: " : "Approve: a; deny: d; Enter to leave it: ");
        out.flush();
        String line;
        try {
            line = input.readLine();
        } catch (IOException e) {
            line = null;
        }
        String typed = line == null ? "" : line.strip();
        if (typed.isEmpty()) {
            out.println("Left unanswered.");
            return null;
        }
        if (typed.equalsIgnoreCase("d")) {
            return PushDecision.DENY;
        }
        if (!request.numberMatching()) {
            if (typed.equalsIgnoreCase("a")) {
                return PushDecision.APPROVE;
            }
            out.println("Neither a nor d: left unanswered.");
            return null;
        }
        try {
            int picked = Integer.parseInt(typed);
            if (request.numberOptions().contains(picked)) {
                pickedNumber = picked;
                return PushDecision.APPROVE;
            }
        } catch (NumberFormatException e) {
            // shown below
        }
        out.println("Not one of " + numbers(request) + ": left unanswered.");
        return null;
    }

    /** The number picked interactively, for the next {@link #number}. */
    private Integer pickedNumber;

    private Integer number(PushDevice.Request request, PushDecision decision, Answering answering) {
        Integer picked = pickedNumber;
        pickedNumber = null;
        if (decision == PushDecision.DENY || !request.numberMatching()) {
            return null;
        }
        return answering.approve() ? answering.number() : picked;
    }

    private void show(PushDevice.Request request) {
        if (quiet) {
            return;
        }
        long left = Math.max(0, Duration.between(clock.instant(), request.expiresAt()).toSeconds());
        out.println();
        out.println("Push request " + request.requestId() + "  (expires " + request.expiresAt() + ", in " + left + " s)");
        for (String line : request.message().split("\n", -1)) {
            out.println("  " + Display.safe(line));
        }
        for (TransactionField field : request.fields()) {
            out.println("  " + Display.safe(field.name()) + ": " + Display.safe(field.value()));
        }
        out.println(request.numberMatching() ? "  Numbers: " + numbers(request) + "  (pick the one the application shows)"
                : "  No number to match.");
    }

    private void result(String requestId, String status, String reason) {
        if (quiet) {
            out.println(status);
            return;
        }
        out.println(switch (status) {
            case "approved" -> "Approved: " + requestId + ".";
            case "denied" -> "Denied: " + requestId + ("wrong-number".equals(reason)
                    ? " (the number was not the application's: the server counts it as a denial)." : ".");
            default -> Display.safe(status) + ": " + requestId + ".";
        });
    }

    private void say(String line) {
        if (!quiet) {
            out.println(line);
        }
    }

    private static String numbers(PushDevice.Request request) {
        return request.numberOptions().stream().map(String::valueOf).collect(Collectors.joining(" "));
    }
}
