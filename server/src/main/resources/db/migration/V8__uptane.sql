-- Uptane repositories on the server (package io.tsunagu.server.update.uptane): each car's ECU inventory, and the
-- signed metadata of the image repository and the director. Portable SQL: runs unchanged on H2 (MODE=PostgreSQL) and
-- PostgreSQL. BYTEA is PostgreSQL's binary type and an H2 alias of VARBINARY. Times are TIMESTAMP WITH TIME ZONE.

-- The ECUs of a car as Uptane identifies them (ECU serial = "ECU identifier", unique within the car) and the hardware
-- id that says which images fit. At most one primary per car (the ECU that talks to the server).
CREATE TABLE vehicle_ecus (
    vin         VARCHAR(17)              NOT NULL REFERENCES vehicles (vin),
    serial      VARCHAR(128)             NOT NULL,
    hardware_id VARCHAR(128)             NOT NULL,
    is_primary  BOOLEAN                  NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (vin, serial)
);

-- Every root a repository ever signed ('image' or 'director'), kept so a car can walk the chain (TUF 5.3).
CREATE TABLE uptane_roots (
    repository VARCHAR(16)              NOT NULL,
    version    BIGINT                   NOT NULL CHECK (version > 0),
    content    BYTEA                    NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (repository, version)
);

-- The last publish of a repository scope: '' for the image repository, the VIN for a car's director metadata. The
-- three files are written together; versions only grow (updates are guarded by timestamp_version). root_version is
-- the root whose keys signed them; refresh_at is when the refresher must re-sign (half of a lifetime left).
CREATE TABLE uptane_published (
    repository        VARCHAR(16)              NOT NULL,
    scope             VARCHAR(17)              NOT NULL,
    root_version      BIGINT                   NOT NULL,
    targets_version   BIGINT                   NOT NULL,
    snapshot_version  BIGINT                   NOT NULL,
    timestamp_version BIGINT                   NOT NULL,
    targets           BYTEA                    NOT NULL,
    snapshot          BYTEA                    NOT NULL,
    timestamp_file    BYTEA                    NOT NULL,
    refresh_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (repository, scope)
);

CREATE INDEX uptane_published_refresh_idx ON uptane_published (repository, refresh_at);
