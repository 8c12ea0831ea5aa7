-- N加e 跨機關通報 (cross-agency notification): the partner-agency register, the
-- consolidated applications signed at the counter, one outbound item per agency,
-- the agencies' credentials and the daily files placed on the SFTP endpoint.

-- Agency categories (監理、地方稅務、地政 …).
CREATE TABLE agency_categories (
    id          {{ID}},
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    sort_order  INTEGER NOT NULL DEFAULT 0
);

-- Partner agencies (合作機關). code is ASCII: the SFTP user name and the prefix
-- of the daily files. delivery: api (pull over HTTPS), sftp (daily files), both.
CREATE TABLE agencies (
    id                {{ID}},
    code              TEXT NOT NULL UNIQUE,
    category_id       BIGINT NOT NULL REFERENCES agency_categories(id),
    name              TEXT NOT NULL,
    address           TEXT NOT NULL DEFAULT '',
    phone             TEXT NOT NULL DEFAULT '',
    account_label     TEXT NOT NULL DEFAULT '',
    account_required  {{BOOL}} NOT NULL DEFAULT {{FALSE}},
    delivery          TEXT NOT NULL DEFAULT 'sftp' CHECK (delivery IN ('api', 'sftp', 'both')),
    encoding          TEXT NOT NULL DEFAULT 'utf-8' CHECK (encoding IN ('utf-8', 'big5')),
    agreed_days       INTEGER NOT NULL DEFAULT 7 CHECK (agreed_days BETWEEN 1 AND 90),
    sort_order        INTEGER NOT NULL DEFAULT 0,
    active            {{BOOL}} NOT NULL DEFAULT {{TRUE}},
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX agencies_category ON agencies (category_id, sort_order);

-- The change kinds an agency accepts and the fields it receives for each
-- (comma-separated field keys; empty: every field of the kind).
CREATE TABLE agency_kinds (
    agency_id  BIGINT NOT NULL REFERENCES agencies(id),
    kind       TEXT NOT NULL,
    fields     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (agency_id, kind)
);

-- API credentials of an agency (agy_… bearer tokens); only the SHA-256 is kept.
CREATE TABLE agency_tokens (
    id            {{ID}},
    agency_id     BIGINT NOT NULL REFERENCES agencies(id),
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    hint          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    created_by    BIGINT REFERENCES users(id),
    last_used_at  TEXT NOT NULL DEFAULT '',
    revoked_at    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX agency_tokens_agency ON agency_tokens (agency_id);

-- SSH public keys that may log in to the agency's SFTP folder.
CREATE TABLE agency_ssh_keys (
    id            {{ID}},
    agency_id     BIGINT NOT NULL REFERENCES agencies(id),
    fingerprint   TEXT NOT NULL,
    public_key    TEXT NOT NULL,
    comment       TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    created_by    BIGINT REFERENCES users(id),
    last_used_at  TEXT NOT NULL DEFAULT '',
    revoked_at    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX agency_ssh_keys_agency ON agency_ssh_keys (agency_id, fingerprint);

-- The daily file of one agency and day. Its content is a pure function of the
-- items that point at it (ordered by seq) and of encoding and format, so it can
-- be written again byte for byte; sha256 is checked every time. The detached
-- signature is kept so a rerun writes the same .sig even after a key change.
CREATE TABLE agency_files (
    id               {{ID}},
    agency_id        BIGINT NOT NULL REFERENCES agencies(id),
    day              TEXT NOT NULL,
    name             TEXT NOT NULL,
    format           TEXT NOT NULL,
    encoding         TEXT NOT NULL,
    item_count       INTEGER NOT NULL DEFAULT 0,
    first_seq        BIGINT NOT NULL DEFAULT 0,
    last_seq         BIGINT NOT NULL DEFAULT 0,
    size             BIGINT NOT NULL DEFAULT 0,
    sha256           TEXT NOT NULL DEFAULT '',
    key_fingerprint  TEXT NOT NULL DEFAULT '',
    signature        TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    UNIQUE (agency_id, day)
);

-- Consolidated applications (跨機關服務申請書). status: draft (printed, waiting
-- for the signature), sent (signed; items released to the agencies), cancelled.
-- idempotency_key makes a retried submission return the first application.
CREATE TABLE agency_applications (
    id                  {{ID}},
    idempotency_key     TEXT NOT NULL UNIQUE,
    office_id           BIGINT NOT NULL REFERENCES offices(id),
    roc_year            INTEGER NOT NULL,
    number              BIGINT NOT NULL,
    kind                TEXT NOT NULL,
    person_id           BIGINT REFERENCES persons(id),
    subject_id_no       TEXT NOT NULL,
    subject_name        TEXT NOT NULL,
    subject_birth_date  TEXT NOT NULL DEFAULT '',
    applicant_name      TEXT NOT NULL,
    applicant_id_no     TEXT NOT NULL DEFAULT '',
    applicant_relation  TEXT NOT NULL DEFAULT '',
    fields              TEXT NOT NULL,
    status              TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'cancelled')),
    clerk_id            BIGINT NOT NULL REFERENCES users(id),
    counter_id          BIGINT,
    created_at          TEXT NOT NULL,
    day                 TEXT NOT NULL,
    sent_at             TEXT NOT NULL DEFAULT '',
    sent_day            TEXT NOT NULL DEFAULT '',
    sent_by             BIGINT REFERENCES users(id),
    scan_hash           TEXT NOT NULL DEFAULT '',
    cancelled_at        TEXT NOT NULL DEFAULT '',
    cancel_reason       TEXT NOT NULL DEFAULT '',
    UNIQUE (office_id, roc_year, number)
);
CREATE INDEX agency_applications_subject ON agency_applications (subject_id_no, created_at);
CREATE INDEX agency_applications_office ON agency_applications (office_id, status, day);
CREATE INDEX agency_applications_sent ON agency_applications (sent_day, office_id);

-- One outbound item per application and agency. seq is the item's gapless
-- position in its agency's stream, handed out when the application is sent
-- (under the agency's sequence row lock, so a higher seq never becomes visible
-- before a lower one: a cursor never skips an item). payload is the JSON the
-- agency receives, frozen when the item is released.
CREATE TABLE agency_items (
    id              {{ID}},
    application_id  BIGINT NOT NULL REFERENCES agency_applications(id),
    agency_id       BIGINT NOT NULL REFERENCES agencies(id),
    account_no      TEXT NOT NULL DEFAULT '',
    seq             BIGINT,
    payload         TEXT NOT NULL DEFAULT '',
    released_at     TEXT NOT NULL DEFAULT '',
    released_day    TEXT NOT NULL DEFAULT '',
    due_day         TEXT NOT NULL DEFAULT '',
    file_id         BIGINT REFERENCES agency_files(id),
    delivered_at    TEXT NOT NULL DEFAULT '',
    delivered_via   TEXT NOT NULL DEFAULT '',
    acked_at        TEXT NOT NULL DEFAULT '',
    result          TEXT NOT NULL DEFAULT '' CHECK (result IN ('', 'applied', 'rejected')),
    reason          TEXT NOT NULL DEFAULT '',
    acked_by        TEXT NOT NULL DEFAULT '',
    UNIQUE (application_id, agency_id),
    UNIQUE (agency_id, seq)
);
CREATE INDEX agency_items_open ON agency_items (agency_id, seq) WHERE acked_at = '' AND seq IS NOT NULL;
CREATE INDEX agency_items_unfiled ON agency_items (agency_id, seq) WHERE file_id IS NULL AND seq IS NOT NULL;
CREATE INDEX agency_items_file ON agency_items (file_id, seq);
CREATE INDEX agency_items_due ON agency_items (due_day) WHERE acked_at = '' AND seq IS NOT NULL;
CREATE INDEX agency_items_released ON agency_items (released_day, agency_id);

-- Every complete download of a daily file over SFTP.
CREATE TABLE agency_file_downloads (
    id        {{ID}},
    file_id   BIGINT NOT NULL REFERENCES agency_files(id),
    at        TEXT NOT NULL,
    client    TEXT NOT NULL DEFAULT '',
    key_fingerprint TEXT NOT NULL DEFAULT ''
);
CREATE INDEX agency_file_downloads_file ON agency_file_downloads (file_id);
