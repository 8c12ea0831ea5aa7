-- Person entries are listed by name (then date, then id) or by ID number
-- (newest first, then id). With the id in the index the order of every list is
-- the index's own, so a search reads its page and stops, whatever the planner
-- estimates: PostgreSQL at 10 million documents misjudged a two-character name
-- prefix as one row and sorted every match (350 ms). SQLite's indexes already
-- end in the rowid; there the rebuild changes nothing but the name.
CREATE INDEX archive_entries_name_order ON archive_entries (name, reg_date, id);
DROP INDEX archive_entries_name;
CREATE INDEX archive_entries_idno_order ON archive_entries (id_no, reg_date, id);
DROP INDEX archive_entries_idno;
