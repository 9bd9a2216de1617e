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
        return text == null ? null : timestamp(text);
    }

    /**
     * {@code yyyy-MM-dd HH:mm:ss[.fraction]} read by hand, the formatter only for anything else (which it refuses
     * or reads the same): four timestamps per row, each a few microseconds and a handful of parsing classes less.
     */
    static Instant timestamp(String text) {
        int length = text.length();
        if (length >= 19 && length <= 29 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == ' '
                && text.charAt(13) == ':' && text.charAt(16) == ':' && (length == 19 || text.charAt(19) == '.')
                && digitsElsewhere(text)) {
            try {
                int nanos = 0;
                if (length > 20) {
                    nanos = Integer.parseInt(text, 20, length, 10);
                    for (int digits = length - 20; digits < 9; digits++) {
                        nanos *= 10;
                    }
                }
                return LocalDateTime.of(Integer.parseInt(text, 0, 4, 10), Integer.parseInt(text, 5, 7, 10),
                                Integer.parseInt(text, 8, 10, 10), Integer.parseInt(text, 11, 13, 10),
                                Integer.parseInt(text, 14, 16, 10), Integer.parseInt(text, 17, 19, 10), nanos)
                        .toInstant(ZoneOffset.UTC);
            } catch (NumberFormatException | java.time.DateTimeException e) {
                // not the usual shape after all: let the formatter decide
            }
        }
        return LocalDateTime.parse(text, TIMESTAMP).toInstant(ZoneOffset.UTC);
    }

    private static boolean digitsElsewhere(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean separator = i == 4 || i == 7 || i == 10 || i == 13 || i == 16 || i == 19;
            if (!separator && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    private Field field(String label) {
        int position = columns.position(label);
        if (position < 0) {
            throw new IllegalStateException("Column " + label + " missing from the result");
        }
        return fields.get(position);
    }
}
