package dev.approvals.invocation;

import java.util.Locale;

/**
 * The log settings Lambda manages ({@code LoggingConfig} in the template), as the runtime passes them:
 * {@code AWS_LAMBDA_LOG_FORMAT} ({@code JSON} or {@code Text}) and {@code AWS_LAMBDA_LOG_LEVEL} (the
 * {@code ApplicationLogLevel}: {@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARN}, {@code ERROR},
 * {@code FATAL}; set only with the JSON format). Unset, a line is JSON at every level, as before.
 *
 * @param json          whether Lambda's JSON log format is on (lines then carry an ISO-8601 {@code timestamp},
 *                      which Lambda uses as the event's time)
 * @param minimumLevel  the lowest level written, as an index into {@link #LEVELS}
 */
public record LogSettings(boolean json, int minimumLevel) {

    static final String[] LEVELS = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};

    /** JSON lines at every level: what tests and embedders get unless they say otherwise. */
    public static final LogSettings DEFAULT = new LogSettings(true, 0);

    /**
     * From the values Lambda sets ({@code AWS_LAMBDA_LOG_FORMAT}, {@code AWS_LAMBDA_LOG_LEVEL}; null when unset);
     * an unknown level is read as {@code INFO}, never as "log nothing".
     */
    public static LogSettings from(String format, String level) {
        String name = level == null ? "" : level.trim().toUpperCase(Locale.ROOT);
        int minimum = name.isEmpty() ? 0 : Math.max(0, java.util.Arrays.asList(LEVELS).indexOf(name));
        if (!name.isEmpty() && minimum == 0 && !name.equals("TRACE")) {
            minimum = 2; // INFO
        }
        return new LogSettings(!"Text".equalsIgnoreCase(format), minimum);
    }

    /** Whether a line of {@code level} is written. */
    boolean enabled(String level) {
        return severity(level) >= minimumLevel;
    }

    private static int severity(String level) {
        for (int i = 0; i < LEVELS.length; i++) {
            if (LEVELS[i].equals(level)) {
                return i;
            }
        }
        return LEVELS.length; // unknown: always written
    }
}
