-- Offices (戶政事務所), their counters (櫃檯) and service points (便民工作站).
CREATE TABLE offices (
    id          {{ID}},
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    city        TEXT NOT NULL,
    district    TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    active      {{BOOL}} NOT NULL DEFAULT {{TRUE}},
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE counters (
    id          {{ID}},
    office_id   BIGINT NOT NULL REFERENCES offices(id),
    kind        TEXT NOT NULL CHECK (kind IN ('counter', 'service_point')),
    number      INTEGER NOT NULL,
    name        TEXT NOT NULL,
    active      {{BOOL}} NOT NULL DEFAULT {{TRUE}},
    UNIQUE (office_id, kind, number)
);

-- Staff accounts. role is one of clerk, supervisor, scanner, cashier, admin.
CREATE TABLE users (
    id                  {{ID}},
    username            TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    office_id           BIGINT NOT NULL REFERENCES offices(id),
    role                TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    must_change         {{BOOL}} NOT NULL DEFAULT {{TRUE}},
    password_changed_at TEXT NOT NULL,
    failed_logins       INTEGER NOT NULL DEFAULT 0,
    locked_until        TEXT NOT NULL DEFAULT '',
    active              {{BOOL}} NOT NULL DEFAULT {{TRUE}},
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX users_office ON users (office_id);

-- Browser sessions; id is the SHA-256 of the cookie value, never the value itself.
CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    counter_id  BIGINT REFERENCES counters(id),
    client      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- API bearer tokens; only the SHA-256 of a token is stored.
CREATE TABLE api_tokens (
    id           {{ID}},
    user_id      BIGINT NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    created_by   BIGINT REFERENCES users(id),
    last_used_at TEXT NOT NULL DEFAULT '',
    revoked_at   TEXT NOT NULL DEFAULT ''
);

-- Append-only audit trail, each entry hash-chained to the previous one.
CREATE TABLE audit_log (
    seq          BIGINT PRIMARY KEY,
    at           TEXT NOT NULL,
    user_id      BIGINT,
    username     TEXT NOT NULL DEFAULT '',
    office_id    BIGINT,
    action       TEXT NOT NULL,
    object_kind  TEXT NOT NULL DEFAULT '',
    object_id    TEXT NOT NULL DEFAULT '',
    person_id_no TEXT NOT NULL DEFAULT '',
    client       TEXT NOT NULL DEFAULT '',
    outcome      TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_at ON audit_log (at);
CREATE INDEX audit_person ON audit_log (person_id_no);
CREATE INDEX audit_user ON audit_log (user_id, at);

-- The chain's head: one row, locked by every append so entries are strictly ordered.
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- The person register shared by every subsystem.
CREATE TABLE persons (
    id             {{ID}},
    id_no          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    sex            TEXT NOT NULL DEFAULT '',
    birth_date     TEXT NOT NULL DEFAULT '',
    addr_household TEXT NOT NULL DEFAULT '',
    addr_business  TEXT NOT NULL DEFAULT '',
    addr_service   TEXT NOT NULL DEFAULT '',
    addr_current   TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    office_id      BIGINT NOT NULL REFERENCES offices(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX persons_name ON persons (name);

-- Gapless numbering: one row per scope (office/kind/ROC year), incremented in the
-- same transaction that records the numbered thing.
CREATE TABLE sequences (
    scope  TEXT PRIMARY KEY,
    last   BIGINT NOT NULL
);
