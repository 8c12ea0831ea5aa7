-- Office closures (停止上班: typhoon days …) recorded by an admin, per city.
CREATE TABLE calendar_closures (
    id          {{ID}},
    city        TEXT NOT NULL,
    day         TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_by  BIGINT REFERENCES users(id),
    created_at  TEXT NOT NULL,
    UNIQUE (city, day)
);

-- Calendar years loaded from the government's (DGPA) CSV without a code change.
-- A later load of the same year is a revision: every load is kept.
CREATE TABLE calendar_years (
    id          {{ID}},
    year        INTEGER NOT NULL,
    source_name TEXT NOT NULL,
    csv         TEXT NOT NULL,
    loaded_by   BIGINT REFERENCES users(id),
    loaded_at   TEXT NOT NULL
);
CREATE INDEX calendar_years_year ON calendar_years (year, id);

-- An office's own 裁罰基準 within the statutory ranges (JSON of legal.FineStandard).
CREATE TABLE fine_standards (
    id          {{ID}},
    office_id   BIGINT NOT NULL REFERENCES offices(id),
    name        TEXT NOT NULL,
    law         TEXT NOT NULL,
    effective   TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_by  BIGINT REFERENCES users(id),
    created_at  TEXT NOT NULL
);
CREATE INDEX fine_standards_office ON fine_standards (office_id, effective);
