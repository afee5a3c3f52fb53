-- OTA artifacts: software images content-addressed by SHA-256 (package io.tsunagu.server.update). The content lives
-- in files under <data>/artifacts/; these rows say what each image is. A row is written only after its file is
-- complete and fsynced, so every row has its content.
-- Portable SQL: runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL. Times are TIMESTAMP WITH TIME ZONE (UTC).

CREATE TABLE artifacts (
    sha256        CHAR(64)                 NOT NULL PRIMARY KEY,
    length_bytes  BIGINT                   NOT NULL CHECK (length_bytes > 0),
    filename      VARCHAR(255)             NOT NULL,
    version       VARCHAR(128)             NOT NULL,
    release_notes VARCHAR(4000)            NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by    VARCHAR(160)             NOT NULL
);

CREATE INDEX artifacts_created_idx ON artifacts (created_at);

-- The hardware (ECU) ids an image fits; Uptane and rollouts match devices on these.
CREATE TABLE artifact_hardware (
    sha256      CHAR(64)     NOT NULL REFERENCES artifacts (sha256),
    hardware_id VARCHAR(128) NOT NULL,
    PRIMARY KEY (sha256, hardware_id)
);

CREATE INDEX artifact_hardware_id_idx ON artifact_hardware (hardware_id);
