-- User command keys paired to a car (package io.tsunagu.server.command): a row is written when the car reports a
-- keys.pair command executed, i.e. after the in-car confirmation. The server accepts user-signed envelopes
-- (POST /vehicles/{vin}/commands/signed) only for these keys. A key id names one key for good (as in the car), so
-- the first pairing of an id is kept.
CREATE TABLE paired_keys (
    vin        VARCHAR(17)              NOT NULL REFERENCES vehicles (vin),
    key_id     VARCHAR(64)              NOT NULL,
    public_key VARCHAR(400)             NOT NULL,
    command_id VARCHAR(36)              NOT NULL,
    paired_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (vin, key_id)
);
