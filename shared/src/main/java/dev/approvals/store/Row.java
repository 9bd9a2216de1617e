package dev.approvals.store;

import dev.approvals.core.Approval;
import dev.approvals.core.ApprovalStatus;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.rdsdata.model.Field;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One result row, read by column label (through the statement's declared {@link Columns}) so the SQL can change
 * shape without silent mix-ups.
 */
record Row(Columns columns, List<Field> fields) {

    /**
     * The columns of {@code ai_approvals} a caller may see: what the read and propose roles are granted, and what
     * every answer shows. The deciders add {@code decision_key} and {@code task_token}.
     */
    static final String VISIBLE_COLUMNS =
            "id, status, version, action_type, action_payload, requested_by, requested_at, expires_at,"
            + " decided_by, decided_at, decision_reason";

    /** Data API timestamps: UTC wall-clock time, fraction optional and of variable length. */
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    static List<Row> all(ExecuteStatementResponse response, Columns columns) {
        List<List<Field>> records = response.records();
        List<Row> rows = new ArrayList<>(records.size());
        for (List<Field> record : records) {
            if (record.size() != columns.count()) {
                throw new IllegalStateException("The statement returned " + record.size() + " columns, "
                        + columns.count() + " declared");
            }
            rows.add(new Row(columns, record));
        }
        return rows;
    }

    /** The approval; {@code decision_key} and {@code task_token} only when the statement selected them. */
    Approval toApproval() {
        return new Approval(
                UUID.fromString(string("id")),
                ApprovalStatus.fromWireName(string("status")),
                Math.toIntExact(number("version")),
                string("action_type"),
                string("action_payload"),
                string("requested_by"),
                instant("requested_at"),
                instant("expires_at"),
                string("decided_by"),
                instant("decided_at"),
                string("decision_reason"),
                columns.position("decision_key") >= 0 ? string("decision_key") : null,
                columns.position("task_token") >= 0 ? string("task_token") : null);
    }

    boolean bool(String label) {
        return field(label).booleanValue();
    }

    long number(String label) {
        return field(label).longValue();
    }

    String string(String label) {
        Field field = field(label);
        return Boolean.TRUE.equals(field.isNull()) ? null : field.stringValue();
    }

    private Instant instant(String label) {
        String text = string(label);
        return text == null ? null : LocalDateTime.parse(text, TIMESTAMP).toInstant(ZoneOffset.UTC);
    }

    private Field field(String label) {
        int position = columns.position(label);
        if (position < 0) {
            throw new IllegalStateException("Column " + label + " missing from the result");
        }
        return fields.get(position);
    }
}
