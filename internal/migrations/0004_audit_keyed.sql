-- The audit chain becomes keyed (issue 17, item 9): from this migration on,
-- each entry's hash is an HMAC-SHA256 under a key kept outside the database
-- (DATA/keys/audit.key or EBAZHAO_AUDIT_KEY), so a row cannot be changed and
-- the later hashes recomputed by someone who can write to the database but
-- does not hold the key. Entries written before keep their plain SHA-256
-- hashes and are verified as before.
--
-- keyed_from: the first sequence number hashed with the key (every entry
--             appended after this migration). It never changes afterwards.
-- key_id:     identifies the key the chain is keyed with (a MAC of a fixed
--             label, not the key), set by the first keyed append; a server
--             started with another key refuses to append instead of mixing
--             keys in one chain.
ALTER TABLE audit_head ADD COLUMN keyed_from BIGINT NOT NULL DEFAULT 1;
ALTER TABLE audit_head ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
UPDATE audit_head SET keyed_from = seq + 1 WHERE id = 1;
