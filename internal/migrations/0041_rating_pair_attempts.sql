-- Pairing codes count their wrong attempts (issue 17, item 10): a code names
-- its counter ("12-34567890": counter 12, eight secret digits), so a wrong
-- guess is charged to that counter's code, which is void after five.
ALTER TABLE rating_pair_codes ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
