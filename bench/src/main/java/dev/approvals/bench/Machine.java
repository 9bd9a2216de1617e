package dev.approvals.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What the figures were measured on, printed with them: the machine is shared, and its load matters. */
public final class Machine {

    private Machine() {
    }

    public static String describe() {
        return String.format(Locale.ROOT, "%s %s, %d CPUs, load average %s at start",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), loadAverage());
    }

    /** The one-minute load average, now. */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
