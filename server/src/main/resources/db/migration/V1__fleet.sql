-- Fleet registry and API identities (package io.tsunagu.server.fleet).
-- Portable SQL: runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL. Times are TIMESTAMP WITH TIME ZONE (UTC
-- instants); certificate serials are lower-case hex without leading zeros.

CREATE TABLE vehicles (
    vin           VARCHAR(17)              NOT NULL PRIMARY KEY,
    model         VARCHAR(200)             NOT NULL,
    owner_name    VARCHAR(200)             NOT NULL,
    registered_at TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at    TIMESTAMP WITH TIME ZONE
);

CREATE INDEX vehicles_owner_idx ON vehicles (owner_name);

CREATE TABLE vehicle_tags (
    vin VARCHAR(17) NOT NULL REFERENCES vehicles (vin),
    tag VARCHAR(64) NOT NULL,
    PRIMARY KEY (vin, tag)
);

CREATE INDEX vehicle_tags_tag_idx ON vehicle_tags (tag);

CREATE TABLE certificates (
    serial_hex VARCHAR(40)              NOT NULL PRIMARY KEY,
    vin        VARCHAR(17)              NOT NULL REFERENCES vehicles (vin),
    not_before TIMESTAMP WITH TIME ZONE NOT NULL,
    not_after  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at TIMESTAMP WITH TIME ZONE
);

CREATE INDEX certificates_vin_idx ON certificates (vin);

CREATE TABLE api_users (
    name         VARCHAR(128)             NOT NULL PRIMARY KEY,
    role         VARCHAR(16)              NOT NULL CHECK (role IN ('admin', 'operator', 'owner')),
    token_sha256 CHAR(64)                 NOT NULL UNIQUE,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
