-- Proposals over HTTP and keyset listing (docs/design.md §2).

-- Propose idempotency: a caller's Idempotency-Key and the SHA-256 of its canonical request. A key belongs to its
-- caller, so it is unique per requester; a retry with the same key and the same request finds this row.
ALTER TABLE ai_approvals ADD COLUMN proposal_key text NULL;

ALTER TABLE ai_approvals ADD COLUMN proposal_hash text NULL;

ALTER TABLE ai_approvals ADD CONSTRAINT ai_approvals_proposal_key_hashed
    CHECK ((proposal_key IS NULL) = (proposal_hash IS NULL));

CREATE UNIQUE INDEX ai_approvals_one_per_proposal_key
    ON ai_approvals (requested_by, proposal_key) WHERE proposal_key IS NOT NULL;

-- Keyset pagination on (requested_at, id): GET /approvals?status=... walks the first index, an unfiltered
-- listing the second, each from the cursor's position onwards, so a page costs the same wherever it starts.
CREATE INDEX ai_approvals_list_by_status ON ai_approvals (status, requested_at, id);

CREATE INDEX ai_approvals_list ON ai_approvals (requested_at, id);
