-- Decision events (docs/design.md §12, docs/events.md): every change an event must tell is written, by the same
-- statement that makes the change, to an outbox row holding the approval as it was at that version. A function
-- publishes it to EventBridge right after its statement committed; the outbox function marks it published when the
-- bus delivers it back, and every minute republishes what is still unpublished a few seconds later. So a crash
-- between the commit and the publish can delay an event or repeat it, never lose it.

CREATE TABLE ai_approval_outbox (
    approval_id     uuid        NOT NULL REFERENCES ai_approvals (id),
    -- The approval's version after the change: (approval_id, version) is the event's stable id.
    version         integer     NOT NULL,
    kind            text        NOT NULL
                                CHECK (kind IN ('ApprovalRequested', 'ApprovalDecided', 'ApprovalExpired')),
    -- The approval as callers were shown it at this version (the event's detail), copied from the statement's row.
    status          text        NOT NULL,
    action_type     text        NOT NULL,
    action_payload  jsonb       NOT NULL,
    requested_by    text        NOT NULL,
    requested_at    timestamptz NOT NULL,
    expires_at      timestamptz NULL,
    decided_by      text        NULL,
    decided_at      timestamptz NULL,
    decision_reason text        NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    published_at    timestamptz NULL,
    CONSTRAINT ai_approval_outbox_one_per_version PRIMARY KEY (approval_id, version)
);

-- The sweeper's query: what is still unpublished, oldest first.
CREATE INDEX ai_approval_outbox_unpublished ON ai_approval_outbox (created_at) WHERE published_at IS NULL;

-- The executor records an approved action here before it calls the action: one row per approval, so the action
-- runs once however often the decision is delivered.
CREATE TABLE ai_action_executions (
    approval_id  uuid        PRIMARY KEY REFERENCES ai_approvals (id),
    version      integer     NOT NULL,
    action_type  text        NOT NULL,
    -- The action implementation and the invocation that claimed the execution.
    executor     text        NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz NULL,
    outcome      text        NULL CHECK (outcome IN ('succeeded', 'failed')),
    -- A short, non-secret result (an HTTP status, an error class), never the action's payload.
    detail       text        NULL,
    CONSTRAINT ai_action_executions_finished CHECK ((finished_at IS NULL) = (outcome IS NULL))
);

-- Two more roles (docs/design.md §7): the outbox function reads and marks the outbox, the executor records
-- executions. Created like V4's, refused when they exist with more power than LOGIN.
DO $$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['approvals_publisher', 'approvals_executor'] LOOP
        BEGIN
            EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION'
                           || ' NOBYPASSRLS', role_name);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name
                      AND (rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls)) THEN
            RAISE EXCEPTION 'role % exists with more privileges than LOGIN; drop or alter it first', role_name;
        END IF;
    END LOOP;
END
$$;

REVOKE ALL ON ai_approval_outbox, ai_action_executions FROM PUBLIC;

-- Every statement that changes an approval writes its outbox row: decisions, proposals, the workflow's record and
-- expiry steps. They may only add rows, never read, change or mark them.
GRANT INSERT (approval_id, version, kind, status, action_type, action_payload, requested_by, requested_at,
              expires_at, decided_by, decided_at, decision_reason)
    ON ai_approval_outbox TO approvals_approver, approvals_rejecter, approvals_proposer, approvals_workflow;

-- The outbox function: read what is unpublished, mark it published. Nothing on ai_approvals.
GRANT SELECT ON ai_approval_outbox TO approvals_publisher;

GRANT UPDATE (published_at) ON ai_approval_outbox TO approvals_publisher;

-- The executor: confirm the approval is approved at the version the event names (what callers are shown, no
-- token or key), claim its execution once, record how it ended.
GRANT SELECT (id, status, version, action_type, action_payload, requested_by, requested_at, expires_at,
              decided_by, decided_at, decision_reason)
    ON ai_approvals TO approvals_executor;

GRANT SELECT (approval_id, finished_at), INSERT (approval_id, version, action_type, executor)
    ON ai_action_executions TO approvals_executor;

GRANT UPDATE (finished_at, outcome, detail) ON ai_action_executions TO approvals_executor;

-- The password function now knows the two new roles as well (same rules as V4's).
CREATE OR REPLACE FUNCTION approvals_set_role_password(role_name text, scram_verifier text) RETURNS text
    LANGUAGE plpgsql
AS $$
BEGIN
    IF role_name IS NULL OR role_name NOT IN ('approvals_reader', 'approvals_proposer', 'approvals_approver',
                                              'approvals_rejecter', 'approvals_workflow', 'approvals_publisher',
                                              'approvals_executor') THEN
        RAISE EXCEPTION 'approvals_set_role_password: % is not an approvals role', role_name
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF scram_verifier IS NULL
       OR scram_verifier !~ '^SCRAM-SHA-256\$[0-9]{4,7}:[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}:[A-Za-z0-9+/]+={0,2}$' THEN
        RAISE EXCEPTION 'approvals_set_role_password: the password must be a SCRAM-SHA-256 verifier'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L', role_name, scram_verifier);
    RETURN role_name;
END
$$;

REVOKE ALL ON FUNCTION approvals_set_role_password(text, text) FROM PUBLIC;
