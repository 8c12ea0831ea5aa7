-- 便民資訊 citizen tips (貼心小叮嚀): what to do at other agencies after a
-- registration. Items keep every version with its effective date.
CREATE TABLE tip_categories (
    id                  {{ID}},
    code                TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    intro               TEXT NOT NULL DEFAULT '',
    -- comma-separated registration kinds (legal registration codes) this category follows
    registration_kinds  TEXT NOT NULL DEFAULT '',
    sort_order          INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE tip_items (
    id           {{ID}},
    code         TEXT NOT NULL UNIQUE,
    category_id  BIGINT NOT NULL REFERENCES tip_categories(id),
    sort_order   INTEGER NOT NULL DEFAULT 0,
    retired_at   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX tip_items_category ON tip_items (category_id, sort_order);

CREATE TABLE tip_versions (
    id              {{ID}},
    item_id         BIGINT NOT NULL REFERENCES tip_items(id),
    version_no      INTEGER NOT NULL,
    effective_from  TEXT NOT NULL,
    title           TEXT NOT NULL,
    agency          TEXT NOT NULL DEFAULT '',
    action          TEXT NOT NULL DEFAULT '',
    documents       TEXT NOT NULL DEFAULT '',
    deadline        TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    url             TEXT NOT NULL DEFAULT '',
    notes           TEXT NOT NULL DEFAULT '',
    last_checked    TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL DEFAULT '',
    UNIQUE (item_id, version_no)
);
CREATE INDEX tip_versions_effective ON tip_versions (item_id, effective_from);

-- Print statistics: sheets per category and office and day (item_id 0), and single items.
CREATE TABLE tip_print_stats (
    category_id  BIGINT NOT NULL REFERENCES tip_categories(id),
    item_id      BIGINT NOT NULL DEFAULT 0,
    office_id    BIGINT NOT NULL,
    day          TEXT NOT NULL,
    n            BIGINT NOT NULL,
    PRIMARY KEY (category_id, item_id, office_id, day)
);
CREATE INDEX tip_print_stats_office ON tip_print_stats (office_id, day);
