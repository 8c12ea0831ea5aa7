-- Seal registry (印鑑登記): every registration (登記), change (變更) and
-- cancellation (註銷) ever made, each with its date, office, clerk and
-- application. Images are blob hashes of AES-GCM ciphertext (see internal/seal).
CREATE TABLE seal_events (
    id              {{ID}},
    person_id_no    TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('register', 'change', 'cancel')),
    event_date      TEXT NOT NULL,
    office_id       BIGINT NOT NULL REFERENCES offices(id),
    clerk_id        BIGINT REFERENCES users(id),
    clerk_name      TEXT NOT NULL DEFAULT '',
    application_no  TEXT NOT NULL DEFAULT '',
    application_blob TEXT NOT NULL DEFAULT '',
    imprint_blob    TEXT NOT NULL DEFAULT '',
    appearance_blob TEXT NOT NULL DEFAULT '',
    signature_blob  TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL DEFAULT 'counter',
    created_at      TEXT NOT NULL
);
CREATE INDEX seal_events_person ON seal_events (person_id_no, event_date, id);
-- bulk import resumes by (source, application_no)
CREATE INDEX seal_events_import ON seal_events (source, application_no);

-- Each comparison of an application's imprint with the registered one, and
-- the clerk's decision.
CREATE TABLE seal_comparisons (
    id              {{ID}},
    person_id_no    TEXT NOT NULL,
    event_id        BIGINT NOT NULL REFERENCES seal_events(id),
    office_id       BIGINT NOT NULL REFERENCES offices(id),
    user_id         BIGINT REFERENCES users(id),
    purpose         TEXT NOT NULL DEFAULT '',
    cand_blob       TEXT NOT NULL,
    overlay_blob    TEXT NOT NULL DEFAULT '',
    ref_layer_blob  TEXT NOT NULL DEFAULT '',
    cand_layer_blob TEXT NOT NULL DEFAULT '',
    score           DOUBLE PRECISION NOT NULL,
    verdict         TEXT NOT NULL CHECK (verdict IN ('match', 'mismatch', 'poor')),
    angle_deg       DOUBLE PRECISION NOT NULL DEFAULT 0,
    scale           DOUBLE PRECISION NOT NULL DEFAULT 1,
    reason          TEXT NOT NULL DEFAULT '',
    features        TEXT NOT NULL DEFAULT '{}',
    elapsed_ms      INTEGER NOT NULL DEFAULT 0,
    decision        TEXT NOT NULL DEFAULT '' CHECK (decision IN ('', 'confirmed', 'refused')),
    decided_by      BIGINT REFERENCES users(id),
    decided_at      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL
);
CREATE INDEX seal_comparisons_person ON seal_comparisons (person_id_no, id);

-- Seal certificates (印鑑證明), numbered per office and ROC year; the fee is
-- recorded here as due until the fee subsystem collects it (fee_ref).
CREATE TABLE seal_certificates (
    id              {{ID}},
    number          TEXT NOT NULL,
    office_id       BIGINT NOT NULL REFERENCES offices(id),
    roc_year        INTEGER NOT NULL,
    seq             BIGINT NOT NULL,
    person_id_no    TEXT NOT NULL,
    event_id        BIGINT NOT NULL REFERENCES seal_events(id),
    comparison_id   BIGINT NOT NULL REFERENCES seal_comparisons(id),
    purpose         TEXT NOT NULL,
    applicant       TEXT NOT NULL CHECK (applicant IN ('self', 'agent')),
    agent_name      TEXT NOT NULL DEFAULT '',
    copies          INTEGER NOT NULL DEFAULT 1,
    fee_item        TEXT NOT NULL DEFAULT '印鑑證明',
    fee_amount      INTEGER NOT NULL,
    fee_status      TEXT NOT NULL DEFAULT 'due' CHECK (fee_status IN ('due', 'paid', 'waived')),
    fee_ref         TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'revoked')),
    revoked_at      TEXT NOT NULL DEFAULT '',
    revoked_by      BIGINT REFERENCES users(id),
    revoke_reason   TEXT NOT NULL DEFAULT '',
    issued_by       BIGINT REFERENCES users(id),
    issued_by_name  TEXT NOT NULL DEFAULT '',
    issued_at       TEXT NOT NULL,
    UNIQUE (office_id, roc_year, seq),
    UNIQUE (comparison_id)
);
CREATE INDEX seal_certificates_person ON seal_certificates (person_id_no, id);
CREATE INDEX seal_certificates_fee ON seal_certificates (fee_status, office_id);
