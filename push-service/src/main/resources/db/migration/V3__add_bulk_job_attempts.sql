-- A bulk job whose chunk keeps failing is given up after countersign.push.bulk.max-attempts failed attempts
-- in a row (status FAILED, with why), so that it neither retries forever nor holds up the jobs behind it.
ALTER TABLE bulk_jobs ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE bulk_jobs ADD COLUMN failure_reason varchar(32);
ALTER TABLE bulk_jobs DROP CONSTRAINT bulk_jobs_status_check;
ALTER TABLE bulk_jobs ADD CONSTRAINT bulk_jobs_status_check CHECK (status IN ('RUNNING', 'DONE', 'FAILED'));
-- The worker looks for the oldest running job of each domain.
CREATE INDEX bulk_jobs_running_idx ON bulk_jobs (domain, created_at) WHERE status = 'RUNNING';
