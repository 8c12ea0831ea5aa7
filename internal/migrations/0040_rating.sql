-- Rating terminals (服務評分機) paired to a counter by a supervisor's code.
CREATE TABLE rating_terminals (
    id          {{ID}},
    office_id   BIGINT NOT NULL REFERENCES offices(id),
    counter_id  BIGINT NOT NULL REFERENCES counters(id),
    token_hash  TEXT NOT NULL UNIQUE,
    paired_by   BIGINT REFERENCES users(id),
    paired_at   TEXT NOT NULL,
    revoked_at  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX rating_terminals_counter ON rating_terminals (counter_id);

CREATE TABLE rating_pair_codes (
    code        TEXT PRIMARY KEY,
    counter_id  BIGINT NOT NULL REFERENCES counters(id),
    created_by  BIGINT REFERENCES users(id),
    expires_at  TEXT NOT NULL
);

-- A rating window: opened only by a real transaction (a receipt or a one-time
-- notice), for 30 seconds, at most one rating.
CREATE TABLE rating_windows (
    id            {{ID}},
    office_id     BIGINT NOT NULL REFERENCES offices(id),
    counter_id    BIGINT NOT NULL REFERENCES counters(id),
    clerk_id      BIGINT NOT NULL REFERENCES users(id),
    trigger_kind  TEXT NOT NULL,
    trigger_id    TEXT NOT NULL,
    opened_at     TEXT NOT NULL,
    day           TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'open',
    UNIQUE (trigger_kind, trigger_id)
);
CREATE INDEX rating_windows_counter ON rating_windows (counter_id, status, expires_at);
CREATE INDEX rating_windows_office ON rating_windows (office_id, day);

CREATE TABLE ratings (
    id            {{ID}},
    window_id     BIGINT NOT NULL UNIQUE REFERENCES rating_windows(id),
    office_id     BIGINT NOT NULL REFERENCES offices(id),
    counter_id    BIGINT NOT NULL REFERENCES counters(id),
    clerk_id      BIGINT NOT NULL REFERENCES users(id),
    trigger_kind  TEXT NOT NULL,
    level         INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    rated_at      TEXT NOT NULL,
    day           TEXT NOT NULL
);
CREATE INDEX ratings_office ON ratings (office_id, day);

-- Refused rating attempts, counted (no window, expired, twice, wrong terminal).
CREATE TABLE rating_refusals (
    id           {{ID}},
    at           TEXT NOT NULL,
    terminal_id  BIGINT,
    window_id    BIGINT,
    reason       TEXT NOT NULL
);

-- Dissatisfaction alarms to the office's supervisors.
CREATE TABLE rating_alerts (
    id          {{ID}},
    rating_id   BIGINT NOT NULL UNIQUE REFERENCES ratings(id),
    office_id   BIGINT NOT NULL REFERENCES offices(id),
    created_at  TEXT NOT NULL,
    acked_by    BIGINT REFERENCES users(id),
    acked_at    TEXT NOT NULL DEFAULT '',
    action_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX rating_alerts_office ON rating_alerts (office_id, acked_at);
