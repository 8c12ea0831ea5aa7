-- 戶政規費 fees: the schedule as effective-dated versions, receipts and their lines,
-- prints (原本 and 補印), void requests, late corrections and the cashier's days.

-- A schedule version is the whole list of fee items in force from effective_from
-- until the next version's effective_from. Versions are never edited; a version
-- not yet in force may be withdrawn.
CREATE TABLE fee_versions (
    id             {{ID}},
    effective_from TEXT NOT NULL,
    basis          TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL CHECK (source IN ('seed', 'manual')),
    created_by     BIGINT REFERENCES users(id),
    created_at     TEXT NOT NULL,
    withdrawn_at   TEXT NOT NULL DEFAULT '',
    withdrawn_by   BIGINT REFERENCES users(id)
);
CREATE UNIQUE INDEX fee_versions_effective ON fee_versions (effective_from) WHERE withdrawn_at = '';

-- One fee item of a version. further_from > 1 means "from that copy on, within one
-- application, further_amount each" (英文戶籍謄本, 親等關聯資料). aliases and
-- exemptions are JSON arrays.
CREATE TABLE fee_items (
    id             {{ID}},
    version_id     BIGINT NOT NULL REFERENCES fee_versions(id),
    position       INTEGER NOT NULL,
    code           TEXT NOT NULL,
    name           TEXT NOT NULL,
    measure        TEXT NOT NULL,
    amount         BIGINT NOT NULL CHECK (amount >= 0),
    further_from   INTEGER NOT NULL DEFAULT 0,
    further_amount BIGINT NOT NULL DEFAULT 0,
    article        TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    aliases        TEXT NOT NULL DEFAULT '[]',
    exemptions     TEXT NOT NULL DEFAULT '[]',
    UNIQUE (version_id, code),
    UNIQUE (version_id, name)
);

-- The cashier's day at an office: a lock row that every receipt, void and
-- correction of that day updates (changes counts them), and, once closed, the
-- settlement as confirmed. A closed day is frozen.
CREATE TABLE fee_days (
    office_id   BIGINT NOT NULL REFERENCES offices(id),
    day         TEXT NOT NULL,
    changes     INTEGER NOT NULL DEFAULT 0,
    closed_at   TEXT NOT NULL DEFAULT '',
    closed_by   BIGINT REFERENCES users(id),
    receipts    INTEGER NOT NULL DEFAULT 0,
    voids       INTEGER NOT NULL DEFAULT 0,
    gross       BIGINT NOT NULL DEFAULT 0,
    corrections BIGINT NOT NULL DEFAULT 0,
    total       BIGINT NOT NULL DEFAULT 0,
    report      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (office_id, day)
);
CREATE INDEX fee_days_day ON fee_days (day, closed_at);

-- A closed day's totals by item (count = quantity) and by payment method
-- (count = receipts), written when the day is closed: monthly and yearly
-- summaries read these few rows per day instead of every receipt.
CREATE TABLE fee_day_totals (
    office_id  BIGINT NOT NULL REFERENCES offices(id),
    day        TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('item', 'payment')),
    code       TEXT NOT NULL,
    label      TEXT NOT NULL,
    measure    TEXT NOT NULL DEFAULT '',
    count      BIGINT NOT NULL DEFAULT 0,
    amount     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (office_id, day, kind, code, label)
);
CREATE INDEX fee_day_totals_day ON fee_day_totals (day);

-- A receipt (規費收據). number is gapless per office and ROC year; the clerk's
-- idempotency key makes a repeated submission return the same receipt.
CREATE TABLE fee_receipts (
    id            {{ID}},
    office_id     BIGINT NOT NULL REFERENCES offices(id),
    roc_year      INTEGER NOT NULL,
    number        BIGINT NOT NULL,
    receipt_date  TEXT NOT NULL,
    counter_id    BIGINT REFERENCES counters(id),
    clerk_id      BIGINT NOT NULL REFERENCES users(id),
    clerk_name    TEXT NOT NULL,
    version_id    BIGINT NOT NULL REFERENCES fee_versions(id),
    payment       TEXT NOT NULL CHECK (payment IN ('cash', 'card', 'easycard', 'mobile')),
    total         BIGINT NOT NULL,
    payer_name    TEXT NOT NULL DEFAULT '',
    payer_id_no   TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    idem_key      TEXT,
    request_hash  TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'voided')),
    void_reason   TEXT NOT NULL DEFAULT '',
    voided_at     TEXT NOT NULL DEFAULT '',
    voided_by     BIGINT REFERENCES users(id),
    copies        INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    UNIQUE (office_id, roc_year, number),
    UNIQUE (clerk_id, idem_key)
);
CREATE INDEX fee_receipts_day ON fee_receipts (office_id, receipt_date, number);

CREATE TABLE fee_receipt_lines (
    receipt_id  BIGINT NOT NULL REFERENCES fee_receipts(id),
    line_no     INTEGER NOT NULL,
    item_id     BIGINT NOT NULL REFERENCES fee_items(id),
    code        TEXT NOT NULL,
    item        TEXT NOT NULL,
    measure     TEXT NOT NULL,
    qty         INTEGER NOT NULL CHECK (qty > 0),
    unit        BIGINT NOT NULL,
    amount      BIGINT NOT NULL,
    exempt      TEXT NOT NULL DEFAULT '',
    exempt_label TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (receipt_id, line_no)
);

-- Every printout: copy 1 is the original, printed when the receipt is issued;
-- later copies are reprints, marked 補印 on the paper.
CREATE TABLE fee_prints (
    receipt_id  BIGINT NOT NULL REFERENCES fee_receipts(id),
    copy_no     INTEGER NOT NULL,
    office_id   BIGINT NOT NULL REFERENCES offices(id),
    print_date  TEXT NOT NULL,
    printed_by  BIGINT NOT NULL REFERENCES users(id),
    printed_at  TEXT NOT NULL,
    PRIMARY KEY (receipt_id, copy_no)
);
CREATE INDEX fee_prints_day ON fee_prints (office_id, print_date);

-- A clerk asks for a void with a reason; a supervisor approves or rejects it.
CREATE TABLE fee_void_requests (
    id            {{ID}},
    receipt_id    BIGINT NOT NULL REFERENCES fee_receipts(id),
    office_id     BIGINT NOT NULL REFERENCES offices(id),
    reason        TEXT NOT NULL,
    requested_by  BIGINT NOT NULL REFERENCES users(id),
    requested_at  TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
    decided_by    BIGINT REFERENCES users(id),
    decided_at    TEXT NOT NULL DEFAULT '',
    decision_note TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX fee_void_requests_pending ON fee_void_requests (receipt_id) WHERE state = 'pending';
CREATE INDEX fee_void_requests_office ON fee_void_requests (office_id, state);

-- A void approved after the receipt's day was closed: the receipt stays as it
-- was settled and the reversal is booked on the day of approval (更正沖銷).
CREATE TABLE fee_corrections (
    id           {{ID}},
    receipt_id   BIGINT NOT NULL UNIQUE REFERENCES fee_receipts(id),
    office_id    BIGINT NOT NULL REFERENCES offices(id),
    entry_date   TEXT NOT NULL,
    counter_id   BIGINT REFERENCES counters(id),
    amount       BIGINT NOT NULL,
    payment      TEXT NOT NULL,
    reason       TEXT NOT NULL,
    approved_by  BIGINT NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL
);
CREATE INDEX fee_corrections_day ON fee_corrections (office_id, entry_date);
