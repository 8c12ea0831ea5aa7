-- The home page counts today's person views of the user, and today's logins and
-- refusals of the user's office. Without these indexes each count walked every
-- audit entry of the day (tens of thousands at a city's counters, where every
-- person view is audited) and the home page slowed down as the day went on.
CREATE INDEX audit_user_action ON audit_log (user_id, action, at);
CREATE INDEX audit_office_action ON audit_log (office_id, action, outcome, at);
CREATE INDEX audit_office_outcome ON audit_log (office_id, outcome, at);
