-- The transaction that applied each change: the events of one poll go in one transaction.
ALTER TABLE sql_applied_changes ADD COLUMN tx bigint NOT NULL DEFAULT txid_current();
