-- The audit table is append-only for everyone (docs/security.md, Infrastructure controls). Two layers:
-- 1. Grants: no application role holds UPDATE, DELETE, TRUNCATE (or REFERENCES or TRIGGER) on it, at table or
--    column level (V4 never granted them; this says so explicitly, so a later grant by mistake is undone here).
-- 2. A trigger that refuses UPDATE, DELETE and TRUNCATE whoever sends them, the migrating (master) user included:
--    a change to an audit row then needs a visible, deliberate ALTER TABLE ... DISABLE TRIGGER by the table's owner,
--    which no application role is.
-- The decision path only ever INSERTs into ai_approval_events, which the trigger leaves alone.

REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ai_approval_events
    FROM PUBLIC, approvals_reader, approvals_proposer, approvals_approver, approvals_rejecter, approvals_workflow;

CREATE FUNCTION ai_approval_events_append_only() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'ai_approval_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit events are never changed or removed; a correction is a new event.';
END
$$;

REVOKE ALL ON FUNCTION ai_approval_events_append_only() FROM PUBLIC;

-- FOR EACH STATEMENT: refused even when no row matches, and before any row is touched; TRUNCATE has no rows.
CREATE TRIGGER ai_approval_events_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON ai_approval_events
    FOR EACH STATEMENT EXECUTE FUNCTION ai_approval_events_append_only();
