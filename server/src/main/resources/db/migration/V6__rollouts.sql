-- OTA rollouts (package io.tsunagu.server.update.rollout): distributions, campaigns in groups, per-car update actions
-- with their status history, and each car's installed base. Portable SQL: runs unchanged on H2 (MODE=PostgreSQL) and
-- PostgreSQL. Ids are BIGINT (hawkBit-style action ids) allocated from rollout_counters inside the inserting
-- transaction. Times are TIMESTAMP WITH TIME ZONE (UTC instants).

CREATE TABLE rollout_counters (
    name       VARCHAR(32) NOT NULL PRIMARY KEY,
    last_value BIGINT      NOT NULL
);

CREATE TABLE distributions (
    id          BIGINT                   NOT NULL PRIMARY KEY,
    name        VARCHAR(128)             NOT NULL,
    version     VARCHAR(64)              NOT NULL,
    model       VARCHAR(200)             NOT NULL,
    description VARCHAR(2000)            NOT NULL,
    created_by  VARCHAR(128)             NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    UNIQUE (name, version)
);

-- One software module per ECU image; position keeps the operator's order.
CREATE TABLE distribution_modules (
    distribution_id BIGINT       NOT NULL REFERENCES distributions (id),
    position        INTEGER      NOT NULL,
    hardware_id     VARCHAR(128) NOT NULL,
    name            VARCHAR(128) NOT NULL,
    type            VARCHAR(64)  NOT NULL,
    version         VARCHAR(64)  NOT NULL,
    PRIMARY KEY (distribution_id, position)
);

-- Artifacts by content address; length and file name are copied from the artifact store when the distribution is made.
CREATE TABLE distribution_artifacts (
    distribution_id BIGINT       NOT NULL,
    module_position INTEGER      NOT NULL,
    position        INTEGER      NOT NULL,
    sha256          CHAR(64)     NOT NULL,
    filename        VARCHAR(255) NOT NULL,
    length_bytes    BIGINT       NOT NULL,
    PRIMARY KEY (distribution_id, module_position, position),
    FOREIGN KEY (distribution_id, module_position) REFERENCES distribution_modules (distribution_id, position)
);

CREATE TABLE campaigns (
    id                    BIGINT                   NOT NULL PRIMARY KEY,
    name                  VARCHAR(128)             NOT NULL,
    distribution_id       BIGINT                   NOT NULL REFERENCES distributions (id),
    state                 VARCHAR(16)              NOT NULL CHECK (state IN ('created', 'running', 'paused',
                                                                             'finished', 'halted', 'cancelled')),
    reason                VARCHAR(1000),
    action_type           VARCHAR(16)              NOT NULL CHECK (action_type IN ('forced', 'soft')),
    target_json           VARCHAR(4000)            NOT NULL,
    window_schedule       VARCHAR(200),
    window_duration_ms    BIGINT,
    window_zone           VARCHAR(64),
    gate_min_soc_pct      INTEGER,
    created_by            VARCHAR(128)             NOT NULL,
    created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at            TIMESTAMP WITH TIME ZONE,
    finished_at           TIMESTAMP WITH TIME ZONE
);

CREATE INDEX campaigns_state_idx ON campaigns (state);

CREATE TABLE campaign_groups (
    campaign_id           BIGINT                   NOT NULL REFERENCES campaigns (id),
    position              INTEGER                  NOT NULL,
    target_count          INTEGER                  NOT NULL,
    success_threshold_pct INTEGER                  NOT NULL CHECK (success_threshold_pct BETWEEN 1 AND 100),
    error_threshold_pct   INTEGER                  NOT NULL CHECK (error_threshold_pct BETWEEN 0 AND 100),
    state                 VARCHAR(16)              NOT NULL CHECK (state IN ('scheduled', 'running', 'finished',
                                                                             'halted', 'cancelled')),
    started_at            TIMESTAMP WITH TIME ZONE,
    finished_at           TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (campaign_id, position)
);

CREATE TABLE update_actions (
    id              BIGINT                   NOT NULL PRIMARY KEY,
    vin             VARCHAR(17)              NOT NULL REFERENCES vehicles (vin),
    campaign_id     BIGINT                   NOT NULL,
    group_position  INTEGER                  NOT NULL,
    distribution_id BIGINT                   NOT NULL REFERENCES distributions (id),
    action_type     VARCHAR(16)              NOT NULL CHECK (action_type IN ('forced', 'soft')),
    state           VARCHAR(16)              NOT NULL CHECK (state IN ('scheduled', 'pending', 'offered',
                                                                       'downloading', 'downloaded', 'installing',
                                                                       'canceling', 'success', 'failure',
                                                                       'cancelled')),
    -- The open state a cancel request interrupted; a rejected cancel returns to it.
    state_before_cancel VARCHAR(16),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    offered_at      TIMESTAMP WITH TIME ZONE,
    finished_at     TIMESTAMP WITH TIME ZONE,
    FOREIGN KEY (campaign_id, group_position) REFERENCES campaign_groups (campaign_id, position)
);

CREATE INDEX update_actions_vin_idx ON update_actions (vin, state);
CREATE INDEX update_actions_campaign_idx ON update_actions (campaign_id, group_position, state);

-- Status history (hawkBit's action status entries): every state change and every device report, with its messages.
CREATE TABLE update_action_status (
    action_id     BIGINT                   NOT NULL REFERENCES update_actions (id),
    seq           INTEGER                  NOT NULL,
    at            TIMESTAMP WITH TIME ZONE NOT NULL,
    state         VARCHAR(16)              NOT NULL,
    event         VARCHAR(32)              NOT NULL,
    messages_json VARCHAR(4000)            NOT NULL,
    PRIMARY KEY (action_id, seq)
);

-- What each car runs now: the distribution of its last successful action.
CREATE TABLE installed_base (
    vin             VARCHAR(17)              NOT NULL PRIMARY KEY REFERENCES vehicles (vin),
    distribution_id BIGINT                   NOT NULL REFERENCES distributions (id),
    action_id       BIGINT                   NOT NULL,
    installed_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
