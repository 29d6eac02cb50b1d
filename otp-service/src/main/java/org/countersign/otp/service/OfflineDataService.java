package org.countersign.otp.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.countersign.events.AtRestSealer;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.payload.OfflineDataIssued;
import org.countersign.events.payload.OfflineDataRevoked;
import org.countersign.events.payload.OfflineUsageReported;
import org.countersign.otp.config.OtpConfig;
import org.countersign.otp.domain.Credential;
import org.countersign.otp.domain.CredentialKind;
import org.countersign.otp.domain.OfflineAgent;
import org.countersign.otp.domain.OfflineDataProblem;
import org.countersign.otp.domain.OfflinePolicy;
import org.countersign.otp.domain.RefreshTooSoon;
import org.countersign.otp.domain.SealingPurposes;
import org.countersign.otp.repository.CredentialRepository;
import org.countersign.otp.repository.OfflineAgentRepository;
import org.countersign.otp.repository.OfflinePolicyRepository;
import org.countersign.otp.repository.UserRepository;
import org.countersign.protocol.OfflineBundle;
import org.countersign.protocol.OtpPolicy;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;
import org.countersign.web.ProblemException;
import org.jboss.logging.Logger;

/**
 * Offline authentication data for logon agents (protocol.md, "Offline authentication data"). A
 * bundle is handed out after a normal online PIN+OTP check ({@link VerificationService#verify}, used
 * as it is: replay, throttling, locks and its events), for the TOTP credential that accepted it, over
 * the steps after the one just accepted. The PIN and K_off live only inside the worker-thread task
 * that builds the bundle and are wiped there; the service keeps which agent has which steps, never
 * the bundle. Usage reports move the credential's replay state past the steps an agent accepted.
 */
@ApplicationScoped
public class OfflineDataService {

    private static final Logger LOG = Logger.getLogger(OfflineDataService.class);
    /** protocol.md: one refresh a day for the same agent and credential, unless an admin forces it. */
    static final Duration REFRESH_INTERVAL = Duration.ofDays(1);

    /** What a usage report did. */
    public record Usage(int steps, long firstStep, long lastStep, boolean replayStateMoved) {
    }

    /** An agent's data as an admin sees it: never the tags, the salt or the PIN. */
    public record AgentView(OfflineAgent agent, Instant validFrom, Instant validUntil) {
    }

    private final OfflinePolicyRepository policies;
    private final OfflineAgentRepository agents;
    private final CredentialRepository credentials;
    private final UserRepository users;
    private final VerificationService verification;
    private final AtRestSealer sealer;
    private final Outbox outbox;
    private final OtpConfig config;
    private final Vertx vertx;
    private final Clock clock;

    public OfflineDataService(OfflinePolicyRepository policies, OfflineAgentRepository agents, CredentialRepository credentials,
                              UserRepository users, VerificationService verification, AtRestSealer sealer, Outbox outbox,
                              OtpConfig config, Vertx vertx, Clock clock) {
        this.policies = policies;
        this.agents = agents;
        this.credentials = credentials;
        this.users = users;
        this.verification = verification;
        this.sealer = sealer;
        this.outbox = outbox;
        this.config = config;
        this.vertx = vertx;
        this.clock = clock;
    }

    /** What is known before the check: the policy, the agent's last data, and the user's OTP credentials. */
    private record Before(OfflinePolicy policy, OfflineAgent agent, List<Credential> otpCredentials) {
        List<Credential> totp() {
            return otpCredentials.stream().filter(c -> OtpPolicy.parse(c.otpPolicy).kind() == OtpPolicy.Kind.TOTP).toList();
        }
    }

    /** The accepted credential and what a bundle for it needs, read after the check. */
    private record Accepted(Before before, Credential credential, String pin) {
    }

    /**
     * Checks {@code typed} (PIN+OTP) as a login does and answers the bundle's JSON. Refusals that
     * need no check (disabled, revoked, no TOTP credential, too soon for the one credential that could
     * answer) come before it and cost nothing; the others come after an accepted check, whose OTP is
     * then consumed like a login's.
     *
     * @param days what the agent asks for; capped by the domain's policy and by {@link OfflineBundle#MAX_STEPS}
     * @param serialNumber the credential to check and cover, or null for any of the user's
     */
    public Uni<String> issue(String domain, String userId, String typed, String agentId, int days, String serialNumber) {
        Instant now = clock.instant();
        return Panache.withSession(() -> policies.effective(domain).chain(policy -> agents.find(domain, userId, agentId)
                        .chain(agent -> credentials.listUsable(domain, userId).map(list -> new Before(policy, agent,
                                list.stream().filter(c -> c.kind != CredentialKind.OCRA && c.otpPolicy != null)
                                        .filter(c -> serialNumber == null || c.serialNumber.equals(serialNumber)).toList())))))
                .chain(before -> {
                    refuseBeforeCheck(before, now);
                    List<Credential> totp = before.totp();
                    // One TOTP credential among others: name it, so that an HOTP code is never consumed for nothing.
                    String checked = serialNumber == null && totp.size() == 1 ? totp.get(0).serialNumber : serialNumber;
                    return verification.verify(domain, userId, typed, checked)
                            .chain(outcome -> accepted(domain, userId, typed, before, outcome));
                })
                .chain(accepted -> build(domain, userId, agentId, days, accepted, now));
    }

    private static void refuseBeforeCheck(Before before, Instant now) {
        if (!before.policy().enabled()) {
            throw new ProblemException(OfflineDataProblem.DISABLED, "Offline authentication is disabled for this domain;"
                    + " an admin enables it with PUT /api/v1/otp/admin/offline-data/policy");
        }
        OfflineAgent agent = before.agent();
        if (agent != null && agent.revoked() && !agent.forced()) {
            throw revoked();
        }
        List<Credential> totp = before.totp();
        if (!before.otpCredentials().isEmpty() && totp.isEmpty()) {
            throw totpOnly();
        }
        if (totp.size() == 1) {
            refuseIfTooSoon(agent, totp.get(0), now);
        }
    }

    private static void refuseIfTooSoon(OfflineAgent agent, Credential credential, Instant now) {
        if (agent != null && !agent.forced() && agent.credentialId.equals(credential.id) && now.isBefore(agent.nextRefreshAt)) {
            throw new RefreshTooSoon(agent.nextRefreshAt, now);
        }
    }

    /** After an accepted check: the credential must be TOTP, and the user must have a PIN of 6 characters or more. */
    private Uni<Accepted> accepted(String domain, String userId, String typed, Before before, VerificationService.Outcome outcome) {
        switch (outcome.result()) {
            case REJECTED -> throw new ProblemException(OfflineDataProblem.CREDENTIAL_REJECTED,
                    "The credential was rejected; the user may try again with the next code");
            case LOCKED -> throw new ProblemException(OfflineDataProblem.CREDENTIAL_LOCKED, outcome.retryAfterSeconds() == null
                    ? "Too many failed checks; an admin must unlock" : "Too many failed checks; retry after the lock ends",
                    outcome.retryAfterSeconds() == null ? Map.of() : Map.of("Retry-After", outcome.retryAfterSeconds().toString()));
            case ACCEPTED -> {
                // The check consumed the step; read the credential (its replay state now past it) and the user afresh.
            }
        }
        return Panache.withSession(() -> users.find(domain, userId).chain(user -> credentials.listUsable(domain, userId)
                .map(list -> {
                    Credential credential = list.stream().filter(c -> c.serialNumber.equals(outcome.serialNumber()))
                            .filter(c -> c.otpPolicy != null).findFirst().orElseThrow(() -> new ProblemException(
                                    OfflineDataProblem.CREDENTIAL_REJECTED, "The credential was withdrawn meanwhile"));
                    if (OtpPolicy.parse(credential.otpPolicy).kind() != OtpPolicy.Kind.TOTP) {
                        throw totpOnly();
                    }
                    int digits = OtpPolicy.parse(credential.otpPolicy).digits();
                    String pin = typed.length() > digits ? typed.substring(0, typed.length() - digits) : "";
                    if (user == null || user.pin() == null || pin.isEmpty()) {
                        throw new ProblemException(OfflineDataProblem.PIN_REQUIRED, "Offline data needs a server PIN: without"
                                + " one, a stolen bundle gives away the user's OTPs; an admin sets one with"
                                + " PUT /api/v1/otp/admin/users/{userId}/pin");
                    }
                    if (pin.codePointCount(0, pin.length()) < OfflineBundle.MIN_PIN_LENGTH) {
                        throw new ProblemException(OfflineDataProblem.PIN_TOO_SHORT, "A PIN for offline data has at least "
                                + OfflineBundle.MIN_PIN_LENGTH + " characters; the user must change it first");
                    }
                    return new Accepted(before, credential, pin);
                })));
    }

    private Uni<String> build(String domain, String userId, String agentId, int days, Accepted accepted, Instant now) {
        Credential credential = accepted.credential();
        OfflineAgent agent = accepted.before().agent();
        refuseIfTooSoon(agent, credential, now);
        OtpPolicy policy = OtpPolicy.parse(credential.otpPolicy);
        OfflinePolicy rules = accepted.before().policy();
        long firstStep = credential.lastAccepted + 1;
        int steps = steps(days, rules.maxDays(), policy.periodSeconds());
        // PBKDF2 and the tags take a good part of a second of CPU: never on the event loop.
        Uni<OfflineBundle> built = vertx.executeBlocking(Uni.createFrom().item(() -> {
            Secret pin = Secret.copyOf(accepted.pin().getBytes(StandardCharsets.UTF_8));
            Secret otpKey = sealer.open(SealedValue.parse(credential.sealedSecret), SealingPurposes.otpKeyOf(credential.id));
            try {
                return OfflineBundle.issue(userId, agentId, credential.serialNumber, policy, otpKey, pin, firstStep, steps,
                        rules.iterations());
            } finally {
                pin.destroy();
                otpKey.destroy();
            }
        }), false);
        boolean forced = agent != null && agent.forced();
        return built.chain(bundle -> Panache.withTransaction(() -> agents.issue(domain, userId, agentId, credential.id,
                        credential.serialNumber, bundle.firstStep(), bundle.endStep(), bundle.iterations(), now,
                        now.plus(REFRESH_INTERVAL))
                .chain(issued -> issued ? outbox.add(new EventDraft(OfflineDataIssued.TYPE, EventKey.of(userId, domain),
                        "user/" + userId, new OfflineDataIssued(userId, domain, agentId, credential.serialNumber,
                        credential.instanceId, bundle.firstStep(), bundle.endStep(), bundle.validFrom(), bundle.validUntil(),
                        bundle.iterations(), forced, now)))
                        : lostRace(domain, userId, agentId, now))
                .invoke(() -> LOG.infof("Offline data for agent %s of %s@%s: %s, steps %d to %d", agentId, userId, domain,
                        credential.serialNumber, bundle.firstStep(), bundle.endStep() - 1))
                .replaceWith(bundle.toJson())));
    }

    /** Another refresh of the same agent committed first (or a revocation did): say which. */
    private Uni<Void> lostRace(String domain, String userId, String agentId, Instant now) {
        return agents.find(domain, userId, agentId).invoke(agent -> {
            if (agent != null && agent.revoked()) {
                throw revoked();
            }
            throw new RefreshTooSoon(agent == null ? now.plus(REFRESH_INTERVAL) : agent.nextRefreshAt, now);
        }).replaceWithVoid();
    }

    /** Steps of {@code days} days at the credential's period, capped by policy and by the protocol's bound. */
    static int steps(int days, int maxDays, int periodSeconds) {
        long seconds = (long) Math.min(days, maxDays) * 86_400L;
        return (int) Math.max(1, Math.min(OfflineBundle.MAX_STEPS, seconds / periodSeconds));
    }

    /**
     * The agent used {@code steps} offline: the credential's replay state moves to the latest, never
     * backwards, so their OTPs fail online. The whole report is refused when the agent is unknown or
     * revoked, or a step lies outside its last bundle or has not begun yet (which would lock the user
     * out of online logins until then).
     */
    public Uni<Usage> report(String domain, String userId, String agentId, List<Long> steps) {
        Instant now = clock.instant();
        TreeSet<Long> distinct = new TreeSet<>(steps);
        return Panache.withTransaction(() -> agents.findForUpdate(domain, userId, agentId).chain(agent -> {
            if (agent == null) {
                throw unknownAgent();
            }
            if (agent.revoked()) {
                throw revoked();
            }
            if (!agent.covers(distinct.first()) || !agent.covers(distinct.last())) {
                throw new ProblemException(OfflineDataProblem.USAGE_OUTSIDE_DATA, "The agent's last offline data covers steps "
                        + agent.firstStep + " to " + (agent.endStep - 1) + "; the report is refused whole");
            }
            return credentials.findById(agent.credentialId).chain(credential -> {
                long latestAllowed = OtpPolicy.parse(credential.otpPolicy).timeStep(now.getEpochSecond())
                        + config.window().totpAfter();
                if (distinct.last() > latestAllowed) {
                    throw new ProblemException(OfflineDataProblem.USAGE_IN_FUTURE, "Step " + distinct.last()
                            + " has not begun yet (the latest an agent can have accepted is " + latestAllowed
                            + "); the report is refused whole");
                }
                return agents.advanceReplayState(agent.credentialId, distinct.last(), now).call(moved ->
                        agents.reported(agent, distinct.last(), now)).call(moved -> outbox.add(new EventDraft(
                        OfflineUsageReported.TYPE, EventKey.of(userId, domain), "user/" + userId, new OfflineUsageReported(
                        userId, domain, agentId, agent.serialNumber, credential.instanceId, distinct.size(), distinct.first(),
                        distinct.last(), moved, now))))
                        .map(moved -> new Usage(distinct.size(), distinct.first(), distinct.last(), moved));
            });
        }));
    }

    /** Revokes the agent's data: its usage reports and refreshes are refused until an admin forces a refresh. Idempotent. */
    public Uni<Void> revoke(String domain, String userId, String agentId) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> agents.find(domain, userId, agentId).chain(agent -> {
            if (agent == null) {
                throw unknownAgent();
            }
            return agents.revoke(domain, userId, agentId, now).chain(revoked -> revoked
                    ? outbox.add(new EventDraft(OfflineDataRevoked.TYPE, EventKey.of(userId, domain), "user/" + userId,
                    new OfflineDataRevoked(userId, domain, agentId, agent.serialNumber, now)))
                    .invoke(() -> LOG.infof("Offline data of agent %s of %s@%s revoked", agentId, userId, domain))
                    : Uni.createFrom().voidItem()).replaceWithVoid();
        }));
    }

    /** An admin allows the agent's next refresh now, also after a revocation, where the domain lets admins do so. */
    public Uni<Void> forceRefresh(String domain, String userId, String agentId) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> policies.effective(domain).chain(policy -> {
            if (!policy.adminsMayForce()) {
                throw new ProblemException(OfflineDataProblem.FORCE_NOT_ALLOWED, "This domain's policy does not let admins force"
                        + " a refresh (adminsMayForce)");
            }
            return agents.forceRefresh(domain, userId, agentId, now);
        }).invoke(found -> {
            if (!found) {
                throw unknownAgent();
            }
            LOG.infof("An admin forced the next offline refresh of agent %s of %s@%s", agentId, userId, domain);
        })).replaceWithVoid();
    }

    /** The user's agents and their data, for admins. */
    public Uni<List<AgentView>> list(String domain, String userId) {
        return Panache.withSession(() -> agents.listForUser(domain, userId).chain(list -> {
            Uni<List<AgentView>> views = Uni.createFrom().item(new ArrayList<>());
            for (OfflineAgent agent : list) {
                views = views.chain(done -> credentials.findById(agent.credentialId).map(credential -> {
                    long period = OtpPolicy.parse(credential.otpPolicy).periodSeconds();
                    done.add(new AgentView(agent, Instant.ofEpochSecond(agent.firstStep * period),
                            Instant.ofEpochSecond(agent.endStep * period)));
                    return done;
                }));
            }
            return views;
        }));
    }

    public Uni<OfflinePolicy> policy(String domain) {
        return Panache.withSession(() -> policies.effective(domain));
    }

    /** Sets the domain's policy; a null value goes back to the service's default. */
    public Uni<OfflinePolicy> setPolicy(String domain, Boolean enabled, Integer maxDays, Integer iterations, Boolean adminsMayForce) {
        return Panache.withTransaction(() -> policies.set(domain, enabled, maxDays, iterations, adminsMayForce, clock.instant())
                .chain(() -> policies.effective(domain)))
                .invoke(policy -> LOG.infof("Domain %s: offline data %s, at most %d days, %d iterations, admins %s force",
                        domain, policy.enabled() ? "enabled" : "disabled", policy.maxDays(), policy.iterations(),
                        policy.adminsMayForce() ? "may" : "may not"));
    }

    private static ProblemException revoked() {
        return new ProblemException(OfflineDataProblem.REVOKED, "This agent's offline data was revoked; an admin may force a"
                + " refresh (POST /api/v1/otp/admin/offline-data/agents/{agentId}/force-refresh)");
    }

    private static ProblemException totpOnly() {
        return new ProblemException(OfflineDataProblem.TOTP_ONLY, "Only TOTP credentials can have offline data: HOTP counters"
                + " and OCRA challenges cannot be known in advance");
    }

    private static ProblemException unknownAgent() {
        return new ProblemException(OfflineDataProblem.UNKNOWN_AGENT, "No offline data for this agent of this user in this domain");
    }
}
