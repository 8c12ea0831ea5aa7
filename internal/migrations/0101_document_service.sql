-- Service (送達) of a document as data (issue 19): how it was served and when,
-- recorded from the returned 送達證書; the day service took effect is computed by
-- the legal engine (行政程序法第72–74、78–81條) and, for a 催告書, the last day
-- of its period (戶籍法施行細則第19條). The latest row of a document is its
-- service; earlier rows stay (a returned letter re-sent to another address).
CREATE TABLE document_services (
    id            {{ID}},
    document_id   BIGINT NOT NULL REFERENCES documents(id),
    office_id     BIGINT NOT NULL REFERENCES offices(id),
    method        TEXT NOT NULL,              -- 臨櫃交付 | 郵務送達 | 寄存送達 | 公示送達
    served_on     TEXT NOT NULL,              -- ISO: handed over, received, deposited or posted
    abroad        {{BOOL}} NOT NULL DEFAULT {{FALSE}},
    effective_on  TEXT NOT NULL,              -- ISO: the day service took effect
    deadline_on   TEXT NOT NULL DEFAULT '',   -- ISO: a reminder's last day (催告期限)
    received_by   TEXT NOT NULL DEFAULT '',   -- 收領人
    note          TEXT NOT NULL DEFAULT '',
    recorded_by   BIGINT NOT NULL REFERENCES users(id),
    recorded_at   TEXT NOT NULL
);
CREATE INDEX document_services_document ON document_services (document_id, id);
CREATE INDEX document_services_office ON document_services (office_id, deadline_on);
