-- API tokens expire (issue 17, item 10). expires_at is set when a token is
-- minted or renewed; a token from before this migration ('') expires
-- --token-max-age (90 days by default) after it was made.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT NOT NULL DEFAULT '';
