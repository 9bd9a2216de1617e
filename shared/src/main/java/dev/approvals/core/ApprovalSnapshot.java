package dev.approvals.core;

/**
 * An approval as the database saw it at one moment.
 *
 * @param expired whether its deadline had passed by the database's clock at that moment
 */
public record ApprovalSnapshot(Approval approval, boolean expired) {
}
