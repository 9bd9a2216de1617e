package dev.approvals.local.lambda;

import java.io.PrintStream;
import java.util.Objects;

/** Where the stack writes lines: its own short ones and the function processes' output, one line per call. */
@FunctionalInterface
public interface LogSink {

    void line(String line);

    /** Lines to a stream, never interleaved mid-line. */
    static LogSink to(PrintStream out) {
        Objects.requireNonNull(out, "out");
        return line -> {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        };
    }

    /** Drops everything. */
    static LogSink discard() {
        return line -> { };
    }

    /** This sink with {@code [prefix] } in front of every line. */
    default LogSink prefixed(String prefix) {
        String start = "[" + prefix + "] ";
        return line -> line(start + line);
    }
}
