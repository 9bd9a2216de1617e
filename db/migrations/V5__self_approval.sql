-- Separation of duties (docs/security.md): whoever requested an approval may reject (withdraw) it, never approve
-- it. The decision statement already refuses it; this constraint makes it impossible for any caller, a buggy one
-- included, and for any role: an approved row's decider differs from its requester.
--
-- NOT VALID: enforced on every INSERT and UPDATE from now on, without checking rows decided before this
-- migration. Those rows are history (the audit table records the same decisions); a deployment that allowed
-- self-approval until now must be able to migrate, not fail its deploy on past rows, and past decisions are not
-- rewritten. Approved rows are final (no application statement updates them), so an old row never trips it.
-- Once no such row exists (SELECT count(*) FROM ai_approvals WHERE status = 'approved' AND decided_by =
-- requested_by), an operator may run ALTER TABLE ai_approvals VALIDATE CONSTRAINT ai_approvals_no_self_approval.
ALTER TABLE ai_approvals ADD CONSTRAINT ai_approvals_no_self_approval
    CHECK (status <> 'approved' OR decided_by IS DISTINCT FROM requested_by) NOT VALID;
