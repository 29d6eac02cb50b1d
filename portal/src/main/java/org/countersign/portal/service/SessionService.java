package org.countersign.portal.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.regex.Pattern;
import org.countersign.portal.client.OtpClient;
import org.countersign.portal.config.PortalConfig;
import org.countersign.portal.domain.CsrfRefusedException;
import org.countersign.portal.domain.NotSignedInException;
import org.countersign.portal.domain.PortalSession;
import org.countersign.portal.repository.SessionStore;
import org.jboss.logging.Logger;

/**
 * Sign-in, sign-out and the session of each request. A session belongs to one domain: a cookie of a
 * portal of another domain sharing the Redis (or the host name: cookies ignore ports) is no session here.
 */
@ApplicationScoped
public class SessionService {

    private static final Logger LOG = Logger.getLogger(SessionService.class);
    /** The APIs' user id (libs/web Ids.USER_ID) and credential shapes (otp-service VerifyOtpRequest). */
    private static final Pattern USER_ID = Pattern.compile("[^|\\s\\p{Cntrl}]{1,255}");
    private static final Pattern CREDENTIAL = Pattern.compile("[!-~]{6,72}");

    private final SessionStore store;
    private final OtpClient otp;
    private final PortalConfig config;
    private final Clock clock;

    public SessionService(SessionStore store, OtpClient otp, PortalConfig config, Clock clock) {
        this.store = store;
        this.otp = otp;
        this.config = config;
        this.clock = clock;
    }

    /** The session the cookie names, or new anonymous keys when it names none this portal can use. */
    public Uni<CurrentSession> current(String cookie) {
        return current(cookie, true);
    }

    /**
     * @param use whether this request is the user's doing, which starts the idle timeout again; a page asking
     *            by itself whether something changed is not, or a tab left open would never time out
     */
    private Uni<CurrentSession> current(String cookie, boolean use) {
        SessionKeys keys = SessionKeys.fromCookie(cookie);
        if (keys == null) {
            return Uni.createFrom().item(new CurrentSession(SessionKeys.random(), null, true));
        }
        return store.find(keys.storeId()).chain(session -> {
            if (session == null) {
                return Uni.createFrom().item(new CurrentSession(keys, null, false));
            }
            if (!config.domain().equals(session.domain())
                    || !clock.instant().isBefore(session.signedInAt().plus(config.session().maxAge()))) {
                return Uni.createFrom().item(new CurrentSession(keys, null, false));
            }
            if (!use) {
                return Uni.createFrom().item(new CurrentSession(keys, session, false));
            }
            // Used now: the idle timeout starts again.
            return store.touch(keys.storeId(), config.session().idleTimeout())
                    .replaceWith(new CurrentSession(keys, session, false));
        });
    }

    /** The signed-in session, or NotSignedInException. */
    public Uni<CurrentSession> signedIn(String cookie) {
        return current(cookie, true).invoke(SessionService::requireSignedIn);
    }

    /** As {@link #signedIn}, for a page asking by itself: the idle timeout goes on running. */
    public Uni<CurrentSession> signedInUnused(String cookie) {
        return current(cookie, false).invoke(SessionService::requireSignedIn);
    }

    private static void requireSignedIn(CurrentSession current) {
        if (!current.signedIn()) {
            throw new NotSignedInException();
        }
    }

    /** Refuses a form whose CSRF token is not this session's. */
    public void requireCsrf(CurrentSession current, String token) {
        if (current.newCookie() || !current.keys().csrfMatches(token)) {
            throw new CsrfRefusedException();
        }
    }

    /**
     * Checks what the user typed with the otp-service; when it is accepted, the session gets a new cookie
     * (the one used before sign-in is never a signed-in one) and the old one is forgotten.
     */
    public Uni<SignInOutcome> signIn(CurrentSession before, String csrf, String userId, String credential) {
        requireCsrf(before, csrf);
        String user = userId == null ? "" : userId.strip();
        String typed = credential == null ? "" : credential.replace(" ", "");
        if (!USER_ID.matcher(user).matches() || !CREDENTIAL.matcher(typed).matches()) {
            return Uni.createFrom().item(SignInOutcome.of(SignInOutcome.Result.MALFORMED));
        }
        return otp.verify(user, typed).chain(result -> {
            if (result.locked()) {
                return Uni.createFrom().item(new SignInOutcome(SignInOutcome.Result.LOCKED, null, result.retryAfter()));
            }
            if (!result.accepted()) {
                return Uni.createFrom().item(SignInOutcome.of(SignInOutcome.Result.REJECTED));
            }
            Instant now = clock.instant();
            SessionKeys fresh = SessionKeys.random();
            PortalSession session = PortalSession.signedIn(config.domain(), user, now);
            LOG.infof("User %s signed in", user);
            return store.delete(before.keys().storeId())
                    .chain(() -> store.save(fresh.storeId(), session, config.session().idleTimeout()))
                    .replaceWith(new SignInOutcome(SignInOutcome.Result.SIGNED_IN, new CurrentSession(fresh, session, true), null));
        });
    }

    public Uni<Void> signOut(CurrentSession current, String csrf) {
        requireCsrf(current, csrf);
        return store.delete(current.keys().storeId());
    }

    /** Keeps what changed in the session. */
    public Uni<CurrentSession> save(CurrentSession current, PortalSession next) {
        return store.save(current.keys().storeId(), next, config.session().idleTimeout()).replaceWith(current.with(next));
    }
}
