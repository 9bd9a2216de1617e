/**
 * The approval step of a Step Functions workflow (statemachine/approval-flow.asl.json, docs/workflows.md): the
 * execution input's rules, the auto-approval policy, and the steps the state machine runs through the workflow
 * function (propose, await a decision, expire, confirm before the action).
 */
package dev.approvals.workflow;
