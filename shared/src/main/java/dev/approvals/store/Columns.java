package dev.approvals.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The labels of a statement's result columns, in order, declared next to its SQL from the same select lists. The
 * stores ask the Data API for no result metadata (15 {@code ColumnMetadata} of a dozen members each per call, and
 * their unmarshallers at cold start) and read columns by position through this; a row of the wrong width is an
 * error, and {@code StatementColumnsIT} checks every declaration against the labels the database reports.
 */
final class Columns {

    private final List<String> labels;
    private final Map<String, Integer> positions;

    private Columns(List<String> labels) {
        this.labels = List.copyOf(labels);
        this.positions = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            if (positions.put(labels.get(i), i) != null) {
                throw new IllegalArgumentException("Column " + labels.get(i) + " selected twice");
            }
        }
    }

    /**
     * From select lists as the SQL writes them ({@code "id, status"}, {@code "expires_at <= now() AS expired"}):
     * each item's label is its alias after {@code AS}, else the column's name. Items hold no commas of their own.
     */
    static Columns of(String... selectLists) {
        List<String> labels = new ArrayList<>();
        for (String list : selectLists) {
            for (String item : list.split(",")) {
                String trimmed = item.trim();
                int as = trimmed.toUpperCase(java.util.Locale.ROOT).lastIndexOf(" AS ");
                labels.add(as < 0 ? trimmed : trimmed.substring(as + 4).trim());
            }
        }
        return new Columns(labels);
    }

    List<String> labels() {
        return labels;
    }

    int count() {
        return labels.size();
    }

    /** The label's position, or -1 when the statement does not select it. */
    int position(String label) {
        Integer position = positions.get(label);
        return position == null ? -1 : position;
    }
}
