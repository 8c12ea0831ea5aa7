-- Name search returns people ordered by name then ID: an index in that order lets
-- the database stop after the first page instead of sorting every namesake.
DROP INDEX persons_name;
CREATE INDEX persons_name_id ON persons (name, id_no);
