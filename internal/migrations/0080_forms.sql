-- 各項表單 forms library: categories by registration business, forms, and their
-- versions with effective dates. A form is either a template defined in ebazhao
-- (spec: JSON layout rendered blank or pre-filled) or an uploaded file (PDF).
CREATE TABLE form_categories (
    id          {{ID}},
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    sort_order  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE forms (
    id            {{ID}},
    code          TEXT NOT NULL UNIQUE,
    category_id   BIGINT NOT NULL REFERENCES form_categories(id),
    name          TEXT NOT NULL,
    keywords      TEXT NOT NULL DEFAULT '',
    description   TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL CHECK (kind IN ('template', 'file')),
    -- 0: city-wide form; otherwise a form an office made for itself (上級授權自行製作).
    office_id     BIGINT NOT NULL DEFAULT 0,
    maintainer    TEXT NOT NULL DEFAULT '',
    sort_order    INTEGER NOT NULL DEFAULT 0,
    retired_at    TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX forms_category ON forms (category_id, sort_order);

CREATE TABLE form_versions (
    id              {{ID}},
    form_id         BIGINT NOT NULL REFERENCES forms(id),
    version_no      INTEGER NOT NULL,
    effective_from  TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    spec            TEXT NOT NULL DEFAULT '',
    -- file forms: the uploaded PDF in the content-addressed blob store
    file_sha256     TEXT NOT NULL DEFAULT '',
    file_size       BIGINT NOT NULL DEFAULT 0,
    file_name       TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL DEFAULT '',
    UNIQUE (form_id, version_no)
);
CREATE INDEX form_versions_effective ON form_versions (form_id, effective_from);

-- Print statistics: one row per form, office, day and mode (blank / filled / file).
CREATE TABLE form_print_stats (
    form_id    BIGINT NOT NULL REFERENCES forms(id),
    office_id  BIGINT NOT NULL,
    day        TEXT NOT NULL,
    mode       TEXT NOT NULL,
    n          BIGINT NOT NULL,
    PRIMARY KEY (form_id, office_id, day, mode)
);
CREATE INDEX form_print_stats_office ON form_print_stats (office_id, day);
