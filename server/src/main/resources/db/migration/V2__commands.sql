-- Remote commands and their audit log (package io.tsunagu.server.command).
-- Portable SQL: runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL. BYTEA is PostgreSQL's binary type and an H2
-- alias of VARBINARY. Times are TIMESTAMP WITH TIME ZONE (UTC instants).

-- Strictly increasing counters, one row per name: "key:<key id>" is a signing key's replay counter (the car refuses
-- a counter that is not above the last one it accepted), "seq:<vin>" orders one car's commands.
CREATE TABLE command_counters (
    name       VARCHAR(96) NOT NULL PRIMARY KEY,
    last_value BIGINT      NOT NULL
);

CREATE TABLE commands (
    id              VARCHAR(36)              NOT NULL PRIMARY KEY,
    vin             VARCHAR(17)              NOT NULL REFERENCES vehicles (vin),
    seq             BIGINT                   NOT NULL,
    action          VARCHAR(64)              NOT NULL,
    params_json     VARCHAR(4000)            NOT NULL,
    state           VARCHAR(16)              NOT NULL CHECK (state IN ('queued', 'sent', 'delivered', 'executed',
                                                                       'failed', 'refused', 'expired', 'cancelled')),
    reason          VARCHAR(100),
    message         VARCHAR(1000),
    key_id          VARCHAR(64)              NOT NULL,
    key_counter     BIGINT                   NOT NULL,
    envelope        BYTEA                    NOT NULL,
    requested_by    VARCHAR(128)             NOT NULL,
    idempotency_key VARCHAR(200),
    request_sha256  CHAR(64)                 NOT NULL,
    attempts        INTEGER                  NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at         TIMESTAMP WITH TIME ZONE,
    delivered_at    TIMESTAMP WITH TIME ZONE,
    finished_at     TIMESTAMP WITH TIME ZONE,
    UNIQUE (vin, seq),
    UNIQUE (requested_by, idempotency_key)
);

CREATE INDEX commands_state_idx ON commands (state, expires_at);

CREATE TABLE command_audit (
    id          VARCHAR(36)              NOT NULL PRIMARY KEY,
    at          TIMESTAMP WITH TIME ZONE NOT NULL,
    principal   VARCHAR(160)             NOT NULL,
    vin         VARCHAR(17)              NOT NULL,
    command_id  VARCHAR(36)              NOT NULL,
    action      VARCHAR(64)              NOT NULL,
    params_json VARCHAR(4000)            NOT NULL,
    outcome     VARCHAR(200)             NOT NULL
);

CREATE INDEX command_audit_vin_idx ON command_audit (vin, at);
CREATE INDEX command_audit_at_idx ON command_audit (at);
