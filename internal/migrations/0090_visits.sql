-- Counter workbench (臨櫃服務): one citizen's visit at one counter, from the
-- moment the clerk scans the ID card until the receipt is printed. What was done
-- during the visit stays in each subsystem's own tables and in the audit trail;
-- a visit only records who, where, for whom, what kind and when.
CREATE TABLE visits (
    id            {{ID}},
    office_id     BIGINT NOT NULL REFERENCES offices(id),
    counter_id    BIGINT,                          -- the clerk's counter at the start, if set
    clerk_id      BIGINT NOT NULL REFERENCES users(id),
    clerk_name    TEXT NOT NULL,
    person_id_no  TEXT NOT NULL,
    person_name   TEXT NOT NULL,
    kind          TEXT NOT NULL DEFAULT '',        -- registration handled (move, birth …), '' until chosen
    day           TEXT NOT NULL,                   -- Taipei civil date, ISO
    started_at    TEXT NOT NULL,
    ended_at      TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'open'     -- open, closed
);
CREATE INDEX visits_clerk_status ON visits (clerk_id, status);
CREATE INDEX visits_clerk_day ON visits (clerk_id, day);
CREATE INDEX visits_office_day ON visits (office_id, day, status);
CREATE INDEX visits_person ON visits (person_id_no, started_at);

-- The receipts collected during a visit (normally one: every fee on one receipt),
-- written in the receipt's own transaction.
CREATE TABLE visit_receipts (
    visit_id    BIGINT NOT NULL REFERENCES visits(id),
    receipt_id  BIGINT NOT NULL UNIQUE REFERENCES fee_receipts(id),
    PRIMARY KEY (visit_id, receipt_id)
);
