package dev.approvals.local.events;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What became of one event at one target, updated as attempts finish (it is read while deliveries run).
 */
public final class Delivery {

    /** Where a delivery stands. */
    public enum Status {
        /** Not finished yet: an attempt runs or a retry waits. */
        PENDING,
        /** The function returned without an error. */
        DELIVERED,
        /** Every attempt failed (function error, timeout, or the function could not run). */
        FAILED,
        /** An SNS topic: recorded as published to it; nothing is sent. */
        RECORDED,
        /** A target of a kind the stand-in does not deliver to. */
        UNSUPPORTED
    }

    private final String rule;
    private final Target target;
    private Status status;
    private int attempts;
    private String lastError;

    Delivery(String rule, Target target, Status status) {
        this.rule = rule;
        this.target = target;
        this.status = status;
    }

    public String rule() {
        return rule;
    }

    public Target target() {
        return target;
    }

    public synchronized Status status() {
        return status;
    }

    public synchronized int attempts() {
        return attempts;
    }

    /** The last failed attempt's error type (e.g. the function's exception class), null if none failed. */
    public synchronized String lastError() {
        return lastError;
    }

    synchronized void attempted(String error) {
        attempts++;
        lastError = error != null ? error : lastError;
    }

    synchronized void finish(Status outcome) {
        status = outcome;
    }

    synchronized ObjectNode toJson(ObjectNode node) {
        node.put("rule", rule).put("targetId", target.id()).put("arn", target.arn())
                .put("status", status.name()).put("attempts", attempts);
        if (lastError != null) {
            node.put("lastError", lastError);
        }
        return node;
    }
}
