package dev.approvals.local.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/** What a stopping stack checks and clears: the processes this JVM started, and its scratch directory. */
final class Leftovers {

    private Leftovers() {
    }

    /** Every live descendant of this JVM (function JVMs, PostgreSQL). */
    static Set<Long> descendantPids() {
        Set<Long> pids = new HashSet<>();
        ProcessHandle.current().descendants().forEach(p -> pids.add(p.pid()));
        return pids;
    }

    /** Best effort: it is a temporary directory. */
    static void deleteQuietly(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // best effort: it is a temporary directory
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
