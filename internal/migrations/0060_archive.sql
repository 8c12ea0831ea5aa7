-- 申請書影像: archived registration applications and their attached documents,
-- scanned page by page. Files live in the content-addressed blob store; these
-- tables hold the index. Planned for the nation: tens of millions of pages.

-- Registration items (登記項目) a document can be indexed under.
CREATE TABLE archive_items (
    code   TEXT PRIMARY KEY,
    label  TEXT NOT NULL UNIQUE,
    sort   INTEGER NOT NULL,
    active {{BOOL}} NOT NULL DEFAULT {{TRUE}}
);
INSERT INTO archive_items (code, label, sort) VALUES
 ('birth', '出生', 10), ('death', '死亡', 20), ('death_decl', '死亡宣告', 25), ('marriage', '結婚', 30),
 ('divorce', '離婚', 40), ('move_in', '遷入', 50), ('move_out', '遷出', 55), ('address', '住址變更', 58),
 ('recognition', '認領', 60), ('adoption', '收養', 70), ('adoption_end', '終止收養', 75),
 ('guardianship', '監護', 80), ('assistance', '輔助', 85), ('name_change', '更名', 90),
 ('surname', '姓氏變更', 92), ('correction', '更正', 95), ('household', '分(合)戶', 100),
 ('first_reg', '初設戶籍', 105), ('reentry', '遷徙（出境、入境）', 110), ('nationality', '國籍', 115),
 ('seal', '印鑑', 120), ('other', '其他', 900);

-- One scanned document: an application with its attachments, as scanned.
-- A rescan is a new row (version + 1) that supersedes the old one; files and rows
-- are never overwritten. source_sha256 is the uploaded file itself.
CREATE TABLE archive_docs (
    id             {{ID}},
    office_id      BIGINT NOT NULL REFERENCES offices(id),   -- original office (原登記地戶所)
    item           TEXT NOT NULL REFERENCES archive_items(code),
    reg_date       TEXT NOT NULL,                             -- registration date, ISO
    volume         TEXT NOT NULL DEFAULT '',                  -- 冊
    page_ref       TEXT NOT NULL DEFAULT '',                  -- 頁
    note           TEXT NOT NULL DEFAULT '',
    source_sha256  TEXT NOT NULL UNIQUE,
    source_name    TEXT NOT NULL DEFAULT '',
    source_format  TEXT NOT NULL,
    source_bytes   BIGINT NOT NULL,
    page_count     INTEGER NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    supersedes_id  BIGINT REFERENCES archive_docs(id),
    current        {{BOOL}} NOT NULL DEFAULT {{TRUE}},
    request_id     BIGINT,                                    -- cross-district request it fulfilled
    scanned_by     BIGINT REFERENCES users(id),
    scanned_office BIGINT NOT NULL REFERENCES offices(id),
    scanned_at     TEXT NOT NULL,
    scanned_day    TEXT NOT NULL                              -- Taipei date, for reports
);
CREATE INDEX archive_docs_office_date ON archive_docs (office_id, reg_date);
CREATE INDEX archive_docs_office_item_date ON archive_docs (office_id, item, reg_date);
CREATE INDEX archive_docs_item_date ON archive_docs (item, reg_date);
CREATE INDEX archive_docs_date ON archive_docs (reg_date);
CREATE INDEX archive_docs_scanned ON archive_docs (scanned_day, scanned_office);
CREATE INDEX archive_docs_supersedes ON archive_docs (supersedes_id);

-- The pages of a document: display image and thumbnail, both blobs.
CREATE TABLE archive_pages (
    id          {{ID}},
    doc_id      BIGINT NOT NULL REFERENCES archive_docs(id),
    page_no     INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    format      TEXT NOT NULL,
    bytes       BIGINT NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    thumb_sha256 TEXT NOT NULL,
    UNIQUE (doc_id, page_no)
);

-- The persons a document concerns (當事人, 申請人, 父, 母, 配偶 …): the search
-- index. Item, date and office are copied from the document so that a search by
-- person never has to visit the documents table to filter or sort.
CREATE TABLE archive_entries (
    id        {{ID}},
    doc_id    BIGINT NOT NULL REFERENCES archive_docs(id),
    id_no     TEXT NOT NULL DEFAULT '',
    name      TEXT NOT NULL,
    role      TEXT NOT NULL DEFAULT '',
    item      TEXT NOT NULL,
    reg_date  TEXT NOT NULL,
    office_id BIGINT NOT NULL
);
CREATE INDEX archive_entries_idno ON archive_entries (id_no, reg_date);
CREATE INDEX archive_entries_name ON archive_entries (name, reg_date);
CREATE INDEX archive_entries_doc ON archive_entries (doc_id);

-- Proper suffixes (two characters or more) of each indexed name, so that a part of
-- a name ("大明" in 王大明) is a prefix search on an index, never a table scan.
CREATE TABLE archive_name_keys (
    name_key TEXT NOT NULL,
    entry_id BIGINT NOT NULL REFERENCES archive_entries(id)
);
CREATE INDEX archive_name_keys_key ON archive_name_keys (name_key, entry_id);
CREATE INDEX archive_name_keys_entry ON archive_name_keys (entry_id);

-- Cross-district requests (跨區申請, 作業規範 叁.七(三)): the receiving office asks
-- the original office to scan a document that is not in the archive yet.
CREATE TABLE archive_requests (
    id                  {{ID}},
    req_no              BIGINT NOT NULL,
    req_year            INTEGER NOT NULL,             -- ROC year of req_no
    receiving_office_id BIGINT NOT NULL REFERENCES offices(id),
    original_office_id  BIGINT NOT NULL REFERENCES offices(id),
    applicant_name      TEXT NOT NULL,
    applicant_id_no     TEXT NOT NULL DEFAULT '',
    applicant_phone     TEXT NOT NULL DEFAULT '',
    person_id_no        TEXT NOT NULL DEFAULT '',
    person_name         TEXT NOT NULL,
    item                TEXT NOT NULL REFERENCES archive_items(code),
    approx_date         TEXT NOT NULL DEFAULT '',     -- what the applicant remembers
    date_from           TEXT NOT NULL DEFAULT '',
    date_to             TEXT NOT NULL DEFAULT '',
    note                TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL,
    doc_id              BIGINT REFERENCES archive_docs(id),
    copy_id             BIGINT,
    reason              TEXT NOT NULL DEFAULT '',     -- why rejected or cancelled
    filed_by            BIGINT REFERENCES users(id),
    filed_at            TEXT NOT NULL,
    due_at              TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    UNIQUE (receiving_office_id, req_year, req_no)
);
CREATE INDEX archive_requests_original ON archive_requests (original_office_id, status, due_at);
CREATE INDEX archive_requests_receiving ON archive_requests (receiving_office_id, status, filed_at);

-- Every state change of a request: who, when, from which office.
CREATE TABLE archive_request_events (
    id          {{ID}},
    request_id  BIGINT NOT NULL REFERENCES archive_requests(id),
    at          TEXT NOT NULL,
    user_id     BIGINT REFERENCES users(id),
    username    TEXT NOT NULL DEFAULT '',
    office_id   BIGINT,
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX archive_request_events_req ON archive_request_events (request_id, id);

-- Certified copies issued (檔存申請書影本), numbered per issuing office and ROC
-- year. The fee is collected by the fee subsystem: fee_item names the fee item,
-- quantity the pages charged, and receipt_ref is filled in when it is paid.
CREATE TABLE archive_copies (
    id              {{ID}},
    copy_no         BIGINT NOT NULL,
    copy_year       INTEGER NOT NULL,
    office_id       BIGINT NOT NULL REFERENCES offices(id),
    doc_id          BIGINT NOT NULL REFERENCES archive_docs(id),
    pages           TEXT NOT NULL,                  -- e.g. "1,2,3"
    page_count      INTEGER NOT NULL,
    applicant_name  TEXT NOT NULL,
    applicant_id_no TEXT NOT NULL DEFAULT '',
    purpose         TEXT NOT NULL,
    request_id      BIGINT REFERENCES archive_requests(id),
    fee_item        TEXT NOT NULL,
    quantity        INTEGER NOT NULL,
    fee_status      TEXT NOT NULL DEFAULT 'pending', -- pending, paid, waived
    receipt_ref     TEXT NOT NULL DEFAULT '',
    issued_by       BIGINT REFERENCES users(id),
    issued_at       TEXT NOT NULL,
    issued_day      TEXT NOT NULL,
    UNIQUE (office_id, copy_year, copy_no)
);
CREATE INDEX archive_copies_doc ON archive_copies (doc_id);
CREATE INDEX archive_copies_day ON archive_copies (issued_day, office_id);
CREATE INDEX archive_copies_fee ON archive_copies (office_id, fee_status);
