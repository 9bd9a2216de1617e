-- A workflow that waited too long marks its approval expired (statemachine/approval-flow.asl.json), with the same
-- conditional, versioned update a decision uses. 'expired' is a fourth, final status; like a decision it records
-- who (the workflow) and when, so ai_approvals_decision_recorded still holds.
ALTER TABLE ai_approvals DROP CONSTRAINT ai_approvals_status_check;

ALTER TABLE ai_approvals ADD CONSTRAINT ai_approvals_status_check
    CHECK (status IN ('pending', 'approved', 'rejected', 'expired'));
