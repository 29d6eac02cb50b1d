-- Guessing is throttled in PostgreSQL alone (Redis no longer counts): a check first reserves an
-- attempt against the user and each credential it will be checked against, atomically, and only a
-- granted reservation is evaluated; a right answer gives it back. So N parallel guesses cost N
-- attempts, none beyond the budget is evaluated, and a Redis restart resets nothing.
--
-- Locks escalate instead of becoming permanent: each lock in a row lasts longer (the durations come
-- from the configuration), and the permanent lock of a credential is a per-domain opt-in. Credentials
-- locked for good before this migration stay locked until an admin unlocks them.

-- The user's temporary locks in a row, which pick the next lock's duration; a success starts afresh.
ALTER TABLE users ADD COLUMN lock_count integer NOT NULL DEFAULT 0;

-- A tenant's own settings. permanent_lock_after: the n-th lock in a row of a credential is for good
-- (status LOCKED, only an admin lifts it); absent (the default): locks stay temporary and escalate.
CREATE TABLE domain_settings (
    domain                varchar(253) PRIMARY KEY,
    permanent_lock_after  integer      CHECK (permanent_lock_after BETWEEN 1 AND 20),
    updated_at            timestamptz  NOT NULL
);

-- Reserves one attempt of a user against the credentials named, in one statement (one round trip,
-- one implicit transaction when called outside one). Rows are locked credentials first, in id order,
-- then the user's: every statement that changes both takes them in that order, so none deadlocks.
--
-- A credential is open when it is ACTIVE, not locked, and has budget left in its period (failures
-- are counted from the first one, over the period). The attempt is granted when at least one
-- credential is open and the user is neither locked nor out of budget; then the user and every open
-- credential count one more failure, and the rows returned are (credential_id, failures) for each
-- credential reserved and (NULL, failures) for the user. Otherwise nothing changes and the one row
-- returned is (NULL, NULL, retry_after): the seconds until a check may be evaluated again (the soonest
-- credential opens, and the user; for a spent budget whose lock is still being decided: the next
-- lock's duration), or NULL when only an admin can unlock.
CREATE OR REPLACE FUNCTION reserve_attempt(
    p_domain varchar, p_user_id varchar, p_credentials uuid[], p_now timestamptz,
    p_credential_period bigint, p_credential_max integer, p_credential_locks bigint[],
    p_user_period bigint, p_user_max integer, p_user_locks bigint[])
RETURNS TABLE (credential_id uuid, failures integer, retry_after bigint)
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    c credentials%ROWTYPE;
    u users%ROWTYPE;
    credential_start timestamptz := p_now - make_interval(secs => p_credential_period);
    user_start timestamptz := p_now - make_interval(secs => p_user_period);
    open_ids uuid[] := '{}';
    soonest bigint;
BEGIN
    FOR c IN SELECT * FROM credentials WHERE id = ANY (p_credentials) ORDER BY id FOR UPDATE LOOP
        IF c.status = 'ACTIVE' AND (c.locked_until IS NULL OR c.locked_until <= p_now)
                AND (c.fail_window_start IS NULL OR c.fail_window_start <= credential_start
                     OR c.fail_count < p_credential_max) THEN
            open_ids := open_ids || c.id;
        ELSIF c.status = 'ACTIVE' THEN
            soonest := LEAST(soonest, CASE WHEN c.locked_until > p_now
                THEN ceil(extract(epoch FROM c.locked_until - p_now))::bigint
                ELSE p_credential_locks[LEAST(c.lock_count + 1, cardinality(p_credential_locks))] END);
        END IF;
    END LOOP;
    IF cardinality(open_ids) = 0 THEN
        -- Nothing opens before the user does either (unless only an admin can open the credentials).
        SELECT * INTO u FROM users WHERE domain = p_domain AND user_id = p_user_id;
        RETURN QUERY SELECT NULL::uuid, NULL::integer, CASE WHEN soonest IS NOT NULL AND u.locked_until > p_now
            THEN GREATEST(soonest, ceil(extract(epoch FROM u.locked_until - p_now))::bigint) ELSE soonest END;
        RETURN;
    END IF;

    INSERT INTO users (domain, user_id) VALUES (p_domain, p_user_id) ON CONFLICT DO NOTHING;
    SELECT * INTO u FROM users WHERE domain = p_domain AND user_id = p_user_id FOR UPDATE;
    IF u.locked_until > p_now THEN
        RETURN QUERY SELECT NULL::uuid, NULL::integer, ceil(extract(epoch FROM u.locked_until - p_now))::bigint;
        RETURN;
    END IF;
    IF u.fail_window_start > user_start AND u.fail_count >= p_user_max THEN
        RETURN QUERY SELECT NULL::uuid, NULL::integer, p_user_locks[LEAST(u.lock_count + 1, cardinality(p_user_locks))];
        RETURN;
    END IF;

    RETURN QUERY WITH reserved AS (
        UPDATE credentials SET
            fail_count = CASE WHEN fail_window_start > credential_start THEN fail_count + 1 ELSE 1 END,
            fail_window_start = CASE WHEN fail_window_start > credential_start THEN fail_window_start ELSE p_now END
        WHERE id = ANY (open_ids) RETURNING id, fail_count)
    SELECT id, fail_count, NULL::bigint FROM reserved;
    RETURN QUERY WITH reserved AS (
        UPDATE users SET
            fail_count = CASE WHEN fail_window_start > user_start THEN fail_count + 1 ELSE 1 END,
            fail_window_start = CASE WHEN fail_window_start > user_start THEN fail_window_start ELSE p_now END
        WHERE domain = p_domain AND user_id = p_user_id RETURNING fail_count)
    SELECT NULL::uuid, fail_count, NULL::bigint FROM reserved;
END;
$$;
