-- Approvals schema, version 1 (DESIGN §2).
-- The migrator sends one statement per Data API call, so every statement ends with ';' and no
-- statement relies on session state left by another one.

CREATE TABLE ai_approvals (
    id              uuid        PRIMARY KEY,
    status          text        NOT NULL DEFAULT 'pending'
                                CHECK (status IN ('pending', 'approved', 'rejected')),
    version         integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
    action_type     text        NOT NULL,
    action_payload  jsonb       NOT NULL DEFAULT '{}'::jsonb,
    requested_by    text        NOT NULL,
    requested_at    timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NULL,
    decided_by      text        NULL,
    decided_at      timestamptz NULL,
    decision_reason text        NULL,
    -- Idempotency key of the request that decided this approval: a retry carrying the same key is a replay.
    decision_key    text        NULL,
    -- Step Functions callback token, when a workflow waits on this approval.
    task_token      text        NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- A decided approval always says who decided it and when; a pending one never does.
    CONSTRAINT ai_approvals_decision_recorded CHECK (
        (status = 'pending') = (decided_by IS NULL AND decided_at IS NULL)
    )
);

CREATE INDEX ai_approvals_pending_expiry ON ai_approvals (expires_at) WHERE status = 'pending';

-- Append-only audit: one row per decision, written by the same statement that decides.
CREATE TABLE ai_approval_events (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    approval_id  uuid        NOT NULL REFERENCES ai_approvals (id),
    from_status  text        NOT NULL,
    to_status    text        NOT NULL,
    from_version integer     NOT NULL,
    to_version   integer     NOT NULL,
    actor        text        NOT NULL,
    reason       text        NULL,
    decision_key text        NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- A version is reached once: a second event for the same transition is a bug, refused by the database.
    CONSTRAINT ai_approval_events_one_per_version UNIQUE (approval_id, to_version)
);
