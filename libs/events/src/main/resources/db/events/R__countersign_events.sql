-- The tables of libs/events, in the schema of the service that uses it. This is a repeatable
-- migration shipped by the library, so that its changes never take a version number from a
-- service's own migrations: every statement here must stay idempotent, and a change is made by
-- adding idempotent statements (ADD COLUMN IF NOT EXISTS, CREATE INDEX IF NOT EXISTS, ...).

-- Events written in the same transaction as the state change they describe. The relay publishes
-- them in seq order and stamps published_at; a clean-up removes them after the retention period.
CREATE TABLE IF NOT EXISTS outbox_events (
    seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id      uuid          NOT NULL UNIQUE,
    topic         varchar(249)  NOT NULL,
    event_key     varchar(600)  NOT NULL,
    event_type    varchar(200)  NOT NULL,
    subject       varchar(600),
    data_schema   varchar(400)  NOT NULL,
    occurred_at   timestamptz   NOT NULL,
    payload       text          NOT NULL,
    published_at  timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_events_unpublished_idx ON outbox_events (seq) WHERE published_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_events_published_idx ON outbox_events (published_at) WHERE published_at IS NOT NULL;

-- Wakes the relay as soon as a transaction with events commits (NOTIFY is delivered at commit), but only while the
-- relay's leader waits for work: it holds the '-idle' advisory lock exactly then (OutboxRelay). A NOTIFY is not cheap:
-- each one takes a lock that serializes every notifying commit in the database and signals every listening session
-- (all the services' relays), so under load, when the leader is busy publishing and will read these events anyway,
-- the commit sends none. The shared lock taken here is held to the end of this transaction, and the leader does not
-- start to wait while any transaction holds it: an event committed without a notification is always read.
CREATE OR REPLACE FUNCTION countersign_outbox_notify() RETURNS trigger AS $$
BEGIN
    IF NOT pg_try_advisory_xact_lock_shared(hashtext(TG_TABLE_SCHEMA || '.countersign-outbox-idle')) THEN
        PERFORM pg_notify(TG_TABLE_SCHEMA || '_outbox', '');
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS outbox_events_notify ON outbox_events;
CREATE TRIGGER outbox_events_notify AFTER INSERT ON outbox_events
    FOR EACH STATEMENT EXECUTE FUNCTION countersign_outbox_notify();

-- The ce_id of every event a consumer applied, written in the same transaction as its effect, so a
-- redelivered event changes nothing.
CREATE TABLE IF NOT EXISTS processed_events (
    consumer      varchar(100)  NOT NULL,
    event_id      varchar(200)  NOT NULL,
    processed_at  timestamptz   NOT NULL,
    PRIMARY KEY (consumer, event_id)
);
CREATE INDEX IF NOT EXISTS processed_events_time_idx ON processed_events (processed_at);
