-- Revocation of paired user keys (package io.tsunagu.server.command): set when the car reports a keys.revoke command
-- executed (never on the server's say-so alone). A revoked row stays, because a key id names one key for good: the
-- car refuses to pair it again, and so does the server. While a car has a row with revoked_at NULL, the server answers
-- fleet-signed actuating commands for it with 409 user_signature_required (the car refuses them too).
ALTER TABLE paired_keys ADD COLUMN revoked_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE paired_keys ADD COLUMN revoke_command_id VARCHAR(36);
