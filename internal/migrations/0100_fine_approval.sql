-- 罰鍰裁處書 approval (作業規範 肆.一; issue 17 item 11): a clerk drafts a fine
-- decision, which waits here without a number; a supervisor (主管) of the same
-- office approves it, and only then is it numbered and stored in documents
-- (document_id), or rejects it with a note. Nothing is deleted.
CREATE TABLE fine_drafts (
    id              {{ID}},
    office_id       BIGINT NOT NULL REFERENCES offices(id),
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    subtype         TEXT NOT NULL DEFAULT '',
    item            TEXT NOT NULL DEFAULT '',
    recipient_id_no TEXT NOT NULL DEFAULT '',
    recipient_name  TEXT NOT NULL,
    amount          BIGINT NOT NULL DEFAULT 0,
    content         TEXT NOT NULL,              -- notice.Content JSON as drafted
    drafted_by      BIGINT NOT NULL REFERENCES users(id),
    counter_id      BIGINT REFERENCES counters(id),
    drafted_on      TEXT NOT NULL,              -- ISO date (Taipei)
    drafted_at      TEXT NOT NULL,
    decided_by      BIGINT REFERENCES users(id),
    decided_at      TEXT NOT NULL DEFAULT '',
    decision_note   TEXT NOT NULL DEFAULT '',
    document_id     BIGINT REFERENCES documents(id)
);
CREATE INDEX fine_drafts_office ON fine_drafts (office_id, status, id);

-- Who approved a numbered fine decision, and when.
ALTER TABLE documents ADD COLUMN approved_by BIGINT REFERENCES users(id);
ALTER TABLE documents ADD COLUMN approved_at TEXT NOT NULL DEFAULT '';
