package org.countersign.agent;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.countersign.protocol.MalformedMessageException;
import org.countersign.protocol.OfflineBundle;
import org.countersign.protocol.OfflineCheck;
import org.countersign.secrets.Secret;

/**
 * The reference logon agent (protocol.md, "Offline authentication data"): what a laptop's logon
 * agent would run. Online it fetches a user's offline data with the PIN+OTP the user typed and
 * reports the steps it used; offline it checks PIN+OTP against the bundle with libs/protocol, never
 * accepting a step at or before the last one it accepted. It never holds the token's key, the
 * instance secret or K_otp; the PIN and K_off exist only while one check runs, and are wiped.
 *
 * <p>Offline, ten wrong attempts in a row lock the user's offline logins until the next fetch
 * (an online PIN+OTP check): guessing at the logon screen stops there. Whoever can read the agent's
 * file can still attack the bundle itself; docs/otp.md says what that costs.
 */
public final class LogonAgent {

    public static final int MAX_OFFLINE_FAILURES = 10;
    public static final int DEFAULT_DAYS = 7;
    /** protocol.md: one refresh a day, unless an admin forces it. */
    static final Duration REFRESH_INTERVAL = Duration.ofDays(1);

    /** A fetched bundle, and what was reported before it. */
    public record Fetched(OfflineBundle bundle, int stepsReported, int stepsDropped) {
    }

    /** An accepted offline login. */
    public record Login(String userId, long step, OfflineBundle bundle) {
    }

    private final AgentStore store;
    private final OtpServiceClient server;

    /** @param server the otp-service; null for an agent that only checks offline */
    public LogonAgent(AgentStore store, OtpServiceClient server) {
        this.store = store;
        this.server = server;
    }

    public AgentStore store() {
        return store;
    }

    /** The agent's id, made (and stored) on first use: a random UUID, which the server binds to each user's data. */
    public String agentId() {
        return store.update(state -> new AgentStore.Change<>(state, state.agentId()));
    }

    public AgentStore.State state() {
        return store.read();
    }

    /**
     * Online: reports what is pending for the user, then asks for new offline data with the PIN+OTP
     * the user typed (checked by the server as a login) and keeps it.
     *
     * @param typed PIN followed by OTP; the caller wipes it
     */
    public Fetched fetch(String userId, char[] typed, int days, String serialNumber, Instant now) {
        String agentId = agentId();
        int[] reported = pendingReport(userId);
        String json;
        try {
            json = online().fetch(userId, typed, agentId, days, serialNumber);
        } catch (OtpServiceClient.Refused e) {
            if (e.nextRefreshAt() != null) {
                store.update(state -> {
                    UserData user = state.users().get(userId);
                    if (user == null) {
                        return new AgentStore.Change<>(null, null);
                    }
                    state.users().put(userId, user.withNextRefreshAt(e.nextRefreshAt()));
                    return new AgentStore.Change<>(state, null);
                });
            }
            throw refusal(e);
        }
        OfflineBundle bundle;
        try {
            bundle = OfflineBundle.parse(json);
        } catch (MalformedMessageException e) {
            throw new AgentException(AgentException.Kind.SERVER, "The otp-service sent data this agent refuses: " + e.getMessage());
        }
        if (!bundle.userId().equals(userId) || !bundle.agentId().equals(agentId)) {
            throw new AgentException(AgentException.Kind.SERVER, "The otp-service sent data for another user or agent");
        }
        store.update(state -> {
            state.users().put(userId, UserData.fresh(userId, json, now, now.plus(REFRESH_INTERVAL)));
            return new AgentStore.Change<>(state, null);
        });
        return new Fetched(bundle, reported[0], reported[1]);
    }

    /**
     * Offline: checks the PIN+OTP the user typed against the user's bundle, under the file's lock,
     * so that two logins at once cannot accept the same step.
     *
     * @throws AgentException REJECTED (wrong, a used step, or locked after too many failures), NO_DATA
     */
    public Login login(String userId, char[] typed, Instant now) {
        Login login = store.update(state -> {
            UserData user = state.users().get(userId);
            if (user == null) {
                throw new AgentException(AgentException.Kind.NO_DATA, "No offline data for " + userId + " on this agent: connect"
                        + " and fetch it first (./countersign agent fetch --user " + userId + ")");
            }
            if (user.failures() >= MAX_OFFLINE_FAILURES) {
                throw new AgentException(AgentException.Kind.REJECTED, "Offline logins for " + userId + " are locked after "
                        + MAX_OFFLINE_FAILURES + " wrong attempts: connect and fetch new offline data");
            }
            OfflineBundle bundle = user.bundle();
            Secret secret = utf8(typed);
            OfflineCheck check;
            try {
                long lastUsed = user.lastUsedStep();
                check = bundle.check(secret, now.getEpochSecond(), step -> step <= lastUsed);
            } finally {
                secret.destroy();
            }
            switch (check.result()) {
                case NO_DATA_FOR_THIS_TIME -> throw new AgentException(AgentException.Kind.NO_DATA, "The offline data of "
                        + userId + " covers " + bundle.validFrom() + " to " + bundle.validUntil() + ", not now (" + now
                        + "): connect and fetch new data, or check this computer's clock");
                case REJECTED -> {
                    // The failure must be stored even though the command then fails: no exception inside the update.
                    state.users().put(userId, user.failed());
                    return new AgentStore.Change<>(state, null);
                }
                default -> {
                    state.users().put(userId, user.accepted(check.step()));
                    return new AgentStore.Change<>(state, new Login(userId, check.step(), bundle));
                }
            }
        });
        if (login == null) {
            throw rejected(userId);
        }
        return login;
    }

    private AgentException rejected(String userId) {
        return new AgentException(AgentException.Kind.REJECTED, "Rejected: wrong PIN or OTP, or a code already used"
                + " (" + remaining(userId) + " more attempts before offline logins lock)");
    }

    private int remaining(String userId) {
        UserData user = store.read().users().get(userId);
        return user == null ? 0 : Math.max(0, MAX_OFFLINE_FAILURES - user.failures());
    }

    /**
     * Online: reports the steps used offline and not reported yet, for one user or (null) all.
     *
     * @return how many steps were reported
     */
    public int report(String userId) {
        int total = 0;
        for (String user : new ArrayList<>(store.read().users().keySet())) {
            if (userId == null || userId.equals(user)) {
                total += pendingReport(user)[0];
            }
        }
        return total;
    }

    /** Reports the user's pending steps: {reported, dropped}. Steps the server can no longer take are dropped. */
    private int[] pendingReport(String userId) {
        UserData user = store.read().users().get(userId);
        if (user == null || user.unreportedSteps().isEmpty()) {
            return new int[] {0, 0};
        }
        List<Long> steps = user.unreportedSteps();
        String agentId = agentId();
        int dropped = 0;
        try {
            online().report(userId, agentId, steps);
        } catch (OtpServiceClient.Refused e) {
            if (!e.type().equals("offline-usage-outside-data")) {
                throw refusal(e);
            }
            // Steps of an older bundle: their time is past, and the server has moved on; nothing left to protect.
            dropped = steps.size();
        }
        store.update(state -> {
            UserData now = state.users().get(userId);
            if (now == null) {
                return new AgentStore.Change<>(null, null);
            }
            state.users().put(userId, new UserData(userId, now.bundleJson(), now.fetchedAt(), now.nextRefreshAt(), now.usedSteps(),
                    now.unreportedSteps().stream().filter(s -> !steps.contains(s)).toList(), now.failures()));
            return new AgentStore.Change<>(state, null);
        });
        return dropped == 0 ? new int[] {steps.size(), 0} : new int[] {0, dropped};
    }

    /** Forgets a user's offline data on this agent (the server's copy of its state stays: revoke it there). */
    public boolean forget(String userId) {
        return store.update(state -> state.users().remove(userId) == null ? new AgentStore.Change<>(null, false)
                : new AgentStore.Change<>(state, true));
    }

    public Map<String, UserData> users() {
        return store.read().users();
    }

    private OtpServiceClient online() {
        if (server == null) {
            throw new AgentException(AgentException.Kind.USAGE, "This agent has no otp-service to talk to");
        }
        return server;
    }

    private static AgentException refusal(OtpServiceClient.Refused e) {
        return switch (e.type()) {
            case "credential-rejected" -> new AgentException(AgentException.Kind.REJECTED, "The otp-service rejected the PIN+OTP;"
                    + " try again with the next code");
            case "credential-locked" -> new AgentException(AgentException.Kind.REJECTED, "Too many failed checks: " + e.getMessage());
            case "offline-data-refresh-too-soon" -> new AgentException(AgentException.Kind.SERVER, "Offline data was refreshed"
                    + " less than a day ago; the next refresh is allowed at " + e.nextRefreshAt());
            default -> new AgentException(AgentException.Kind.SERVER, "The otp-service refused (" + e.type() + "): " + e.getMessage());
        };
    }

    /** What was typed as UTF-8 bytes, in a Secret; the intermediate buffers are wiped. */
    static Secret utf8(char[] typed) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(typed));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        try {
            return bytes.length == 0 ? Secret.copyOf(new byte[] {0}) : Secret.copyOf(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }
}
