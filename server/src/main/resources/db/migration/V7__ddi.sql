-- hawkBit DDI device API (package io.tsunagu.server.update.ddi). Portable SQL: runs unchanged on H2 (MODE=PostgreSQL)
-- and PostgreSQL. Times are TIMESTAMP WITH TIME ZONE (UTC instants).

-- One DDI target token per car (hawkBit's "TargetToken" security token). Only the SHA-256 of the token is stored; the
-- token itself is shown once, when an operator creates it. Creating a new one replaces the old.
CREATE TABLE ddi_target_tokens (
    vin          VARCHAR(17)              NOT NULL PRIMARY KEY REFERENCES vehicles (vin),
    token_sha256 CHAR(64)                 NOT NULL UNIQUE,
    created_by   VARCHAR(128)             NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Controller attributes a device reported with PUT configData (hawkBit: target attributes).
CREATE TABLE ddi_controller_attributes (
    vin        VARCHAR(17)   NOT NULL REFERENCES vehicles (vin),
    attr_name  VARCHAR(128)  NOT NULL,
    attr_value VARCHAR(1000) NOT NULL,
    PRIMARY KEY (vin, attr_name)
);

-- When a car last reported its attributes, and which installed action it ran then: hawkBit asks again (links
-- configData) until the first report and after every successful update.
CREATE TABLE ddi_attribute_reports (
    vin                 VARCHAR(17)              NOT NULL PRIMARY KEY REFERENCES vehicles (vin),
    reported_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    installed_action_id BIGINT
);

-- SHA-1 and MD5 of stored artifacts, which DDI clients expect besides SHA-256 (suricatta checks the SHA-1 of what it
-- downloaded). Computed once, on first use, by reading the artifact.
CREATE TABLE ddi_artifact_hashes (
    sha256 CHAR(64) NOT NULL PRIMARY KEY,
    sha1   CHAR(40) NOT NULL,
    md5    CHAR(32) NOT NULL
);
