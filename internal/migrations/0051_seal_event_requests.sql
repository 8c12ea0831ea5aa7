-- Backdated seal events (補登): a registration, change or cancellation whose
-- effective date is before the day it is recorded needs a reason and a
-- supervisor's approval. Until approved it waits here and has no effect; the
-- approval records it in seal_events (event_id), so seal_events holds only
-- events in force and is never updated. At most one request per person waits
-- at a time: a later event could not be ordered against it.
CREATE TABLE seal_event_requests (
    id               {{ID}},
    person_id_no     TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('register', 'change', 'cancel')),
    event_date       TEXT NOT NULL,
    office_id        BIGINT NOT NULL REFERENCES offices(id),
    clerk_id         BIGINT REFERENCES users(id),
    clerk_name       TEXT NOT NULL DEFAULT '',
    application_no   TEXT NOT NULL DEFAULT '',
    application_blob TEXT NOT NULL DEFAULT '',
    imprint_blob     TEXT NOT NULL DEFAULT '',
    appearance_blob  TEXT NOT NULL DEFAULT '',
    signature_blob   TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    source           TEXT NOT NULL DEFAULT 'counter',
    reason           TEXT NOT NULL,
    requested_at     TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
    decided_by       BIGINT REFERENCES users(id),
    decided_by_name  TEXT NOT NULL DEFAULT '',
    decided_at       TEXT NOT NULL DEFAULT '',
    decision_note    TEXT NOT NULL DEFAULT '',
    event_id         BIGINT REFERENCES seal_events(id)
);
CREATE UNIQUE INDEX seal_event_requests_pending ON seal_event_requests (person_id_no) WHERE state = 'pending';
CREATE INDEX seal_event_requests_office ON seal_event_requests (office_id, state, id);
CREATE INDEX seal_event_requests_person ON seal_event_requests (person_id_no, id);
CREATE INDEX seal_event_requests_event ON seal_event_requests (event_id);
