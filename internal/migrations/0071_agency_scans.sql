-- Every signed-application scan ever attached (issue 17): a replacement adds a
-- version with its reason, the earlier ones stay, listed and viewable.
-- agency_applications.scan_hash stays the current (latest) scan.
CREATE TABLE agency_application_scans (
    id             {{ID}},
    application_id BIGINT NOT NULL REFERENCES agency_applications(id),
    version        INTEGER NOT NULL,
    blob_hash      TEXT NOT NULL,
    format         TEXT NOT NULL DEFAULT '',
    size           BIGINT NOT NULL DEFAULT 0,
    uploaded_by    BIGINT REFERENCES users(id),
    uploaded_at    TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    UNIQUE (application_id, version)
);

-- The scans attached before: version 1, uploader and time unknown (the time
-- is the application's sending, or its making).
INSERT INTO agency_application_scans (application_id, version, blob_hash, uploaded_at)
SELECT id, 1, scan_hash, CASE WHEN sent_at <> '' THEN sent_at ELSE created_at END
FROM agency_applications WHERE scan_hash <> '';
