-- 行政文書: 戶籍通知書, 戶籍催告書, 罰鍰裁處書, 一次告知單, 戶籍通知單.

-- Document templates (文書範本). Every change is a new row (a new version of the
-- same kind/subtype/item) with its effective date; documents point at the row
-- they were issued under, so an old document always shows its own wording.
CREATE TABLE doc_templates (
    id             {{ID}},
    kind           TEXT NOT NULL,              -- notice | reminder | fine | onetime | confirm
    subtype        TEXT NOT NULL DEFAULT '',   -- 催告書種類 / 罰鍰違規態樣 / 通知單申辦事項
    item           TEXT NOT NULL DEFAULT '',   -- 登記項目, 通知事項 or 告知類別; '' = every item
    version        INTEGER NOT NULL,
    name           TEXT NOT NULL,
    body           TEXT NOT NULL,              -- text with {{欄位}} placeholders
    articles       TEXT NOT NULL DEFAULT '',   -- cited provisions, one per line
    deadline_rule  TEXT NOT NULL DEFAULT '',   -- notices: legal | days:N | none | '' (typed by the clerk)
    items          TEXT NOT NULL DEFAULT '',   -- one-time notices: the package's items, one per line
    effective_from TEXT NOT NULL,              -- ISO date
    note           TEXT NOT NULL DEFAULT '',   -- why this version was made
    seed_key       TEXT NOT NULL DEFAULT '',   -- built-in text this row was loaded from ('' = written by a supervisor)
    retired        {{BOOL}} NOT NULL DEFAULT {{FALSE}},
    created_by     BIGINT REFERENCES users(id),
    created_at     TEXT NOT NULL,
    UNIQUE (kind, subtype, item, version)
);
CREATE INDEX doc_templates_seed ON doc_templates (seed_key);

-- Issued documents. The number (seq) is gapless per office, kind and ROC year and
-- is assigned in the transaction that inserts the row (seqno). Nothing is deleted:
-- a document is cancelled (作廢) with a reason and keeps its number.
CREATE TABLE documents (
    id               {{ID}},
    office_id        BIGINT NOT NULL REFERENCES offices(id),
    kind             TEXT NOT NULL,
    subtype          TEXT NOT NULL DEFAULT '',
    item             TEXT NOT NULL DEFAULT '',
    roc_year         INTEGER NOT NULL,
    seq              BIGINT NOT NULL,
    doc_no           TEXT NOT NULL,
    recipient_id_no  TEXT NOT NULL DEFAULT '',
    recipient_name   TEXT NOT NULL,
    template_id      BIGINT REFERENCES doc_templates(id),
    version          INTEGER NOT NULL DEFAULT 1,
    status           TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'cancelled')),
    deadline         TEXT NOT NULL DEFAULT '',   -- the printed deadline (ISO), for lists
    amount           BIGINT NOT NULL DEFAULT 0,  -- fine (NT$), for lists and reports
    calendar_version TEXT NOT NULL DEFAULT '',
    issued_by        BIGINT NOT NULL REFERENCES users(id),
    counter_id       BIGINT REFERENCES counters(id),
    issued_on        TEXT NOT NULL,              -- ISO date (Taipei)
    issued_at        TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    cancel_reason    TEXT NOT NULL DEFAULT '',
    cancelled_by     BIGINT REFERENCES users(id),
    cancelled_at     TEXT NOT NULL DEFAULT '',
    UNIQUE (office_id, kind, roc_year, seq)
);
CREATE INDEX documents_recipient ON documents (recipient_id_no, issued_at);
CREATE INDEX documents_office ON documents (office_id, issued_at);
CREATE INDEX documents_issuer ON documents (issued_by, issued_at);

-- Every version of a document's content (JSON: what the clerk entered, what the
-- legal engine computed with which calendar version, the filled text). Version 1
-- is the issued document; each amendment by the issuing clerk adds one.
CREATE TABLE document_versions (
    id           {{ID}},
    document_id  BIGINT NOT NULL REFERENCES documents(id),
    version      INTEGER NOT NULL,
    content      TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    created_by   BIGINT NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL,
    UNIQUE (document_id, version)
);

-- Recipient data remembered from earlier documents (受通知人資料), offered again
-- next time beside what the person register holds.
CREATE TABLE doc_recipients (
    id_no          TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    birth_date     TEXT NOT NULL DEFAULT '',
    addr_household TEXT NOT NULL DEFAULT '',
    addr_business  TEXT NOT NULL DEFAULT '',
    addr_service   TEXT NOT NULL DEFAULT '',
    addr_current   TEXT NOT NULL DEFAULT '',
    address_kind   TEXT NOT NULL DEFAULT '',
    updated_by     BIGINT REFERENCES users(id),
    updated_at     TEXT NOT NULL
);
