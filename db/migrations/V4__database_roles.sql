-- One PostgreSQL role per caller, each granted exactly the SQL it runs (docs/design.md §7). IAM decides who may
-- call the Data API; it cannot limit which SQL a caller sends, so the database does: each function's Secrets
-- Manager secret names its own role, and the master user (the migrator's) is used by nobody else.
-- No role may DELETE, TRUNCATE or change the schema, and none may change or remove an audit event.

-- Roles belong to the server, not to one database: another database on the same server (tests migrate many) or
-- a concurrent migrator may already have created them. An existing role with more power than LOGIN is refused.
DO $$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['approvals_reader', 'approvals_proposer', 'approvals_approver',
                                     'approvals_rejecter', 'approvals_workflow'] LOOP
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

-- Nothing for PUBLIC: no role can create objects, not even temporary tables, or read what it is not granted.
REVOKE ALL ON ai_approvals, ai_approval_events, schema_migrations FROM PUBLIC;

REVOKE CREATE ON SCHEMA public FROM PUBLIC;

DO $$
BEGIN
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END
$$;

-- GET /approvals/{id} and GET /approvals: read what a caller is shown, never the task token, decision key or
-- proposal key.
GRANT SELECT (id, status, version, action_type, action_payload, requested_by, requested_at, expires_at,
              decided_by, decided_at, decision_reason, updated_at)
    ON ai_approvals TO approvals_reader;

-- POST /approvals: insert a pending approval with its idempotency key, and read it (or the row an earlier
-- request with the same key inserted) back.
GRANT INSERT (id, action_type, action_payload, requested_by, expires_at, proposal_key, proposal_hash)
    ON ai_approvals TO approvals_proposer;

GRANT SELECT (id, status, version, action_type, action_payload, requested_by, requested_at, expires_at,
              decided_by, decided_at, decision_reason, updated_at, proposal_key, proposal_hash)
    ON ai_approvals TO approvals_proposer;

-- Approve and reject: the conditional, versioned update and the audit row it writes (docs/design.md §3).
GRANT SELECT (id, status, version, action_type, action_payload, requested_by, requested_at, expires_at,
              decided_by, decided_at, decision_reason, decision_key, task_token, updated_at)
    ON ai_approvals TO approvals_approver, approvals_rejecter;

GRANT UPDATE (status, version, decided_by, decided_at, decision_reason, decision_key, updated_at)
    ON ai_approvals TO approvals_approver, approvals_rejecter;

GRANT INSERT (approval_id, from_status, to_status, from_version, to_version, actor, reason, decision_key)
    ON ai_approval_events TO approvals_approver, approvals_rejecter, approvals_workflow;

-- The workflow function (the steps of statemachine/approval-flow.asl.json, docs/workflows.md): record a pending
-- approval under the id its execution drew, store the waiting execution's task token while the approval is
-- pending, expire it with the conditional, versioned update and its audit row, and read what callers are shown.
-- It never reads the task token or the decision key: only the approve and reject roles may.
GRANT SELECT (id, status, version, action_type, action_payload, requested_by, requested_at, expires_at,
              decided_by, decided_at, decision_reason)
    ON ai_approvals TO approvals_workflow;

GRANT INSERT (id, action_type, action_payload, requested_by, expires_at)
    ON ai_approvals TO approvals_workflow;

GRANT UPDATE (task_token, updated_at, status, version, decided_by, decided_at, decision_reason, decision_key)
    ON ai_approvals TO approvals_workflow;

-- Sets a role's password from a SCRAM-SHA-256 verifier computed by the caller (the migration custom resource,
-- or the local stack), so the plain password never reaches the database or its logs. Only the five roles
-- above, only verifiers; only the migrating (master) user may call it.
CREATE FUNCTION approvals_set_role_password(role_name text, scram_verifier text) RETURNS text
    LANGUAGE plpgsql
AS $$
BEGIN
    IF role_name IS NULL OR role_name NOT IN ('approvals_reader', 'approvals_proposer', 'approvals_approver',
                                              'approvals_rejecter', 'approvals_workflow') THEN
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
