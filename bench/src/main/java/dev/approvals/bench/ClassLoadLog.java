package dev.approvals.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code -Xlog:class+load=info:file=<log>:uptimenanos} recorded: every class the JVM loaded, when (JVM
 * uptime) and from where (the CDS archive, a JDK module, a jar, the function's own classes).
 */
public record ClassLoadLog(List<Load> loads) {

    /** The JVM option that writes such a log. */
    public static String option(Path log) {
        return "-Xlog:class+load=info:file=" + log + ":uptimenanos";
    }

    /** One class: its name, where it came from, and the JVM's uptime when it was loaded. */
    public record Load(String className, String source, long uptimeNanos) {
    }

    private static final Pattern LINE = Pattern.compile("^\\[(\\d+)ns] (\\S+) source: (.*)$");

    public static ClassLoadLog read(Path log) {
        try {
            List<Load> loads = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                Matcher m = LINE.matcher(line);
                if (m.matches()) {
                    loads.add(new Load(m.group(2), m.group(3), Long.parseLong(m.group(1))));
                }
            }
            return new ClassLoadLog(List.copyOf(loads));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the class-load log " + log, e);
        }
    }

    public int count() {
        return loads.size();
    }

    public List<String> classNames() {
        return loads.stream().map(Load::className).toList();
    }

    /**
     * Classes and time per origin, split at {@code boundaryNanos} of uptime (the end of init). Each class is
     * charged the time since the class before it: finding, parsing and linking it plus whatever code ran in
     * between, which is mostly the code of the classes just loaded. A proxy, but the one that adds up to the
     * whole startup and needs no agent.
     */
    public Map<String, Cost> costByOrigin(long boundaryNanos) {
        Map<String, String> originOfClass = new java.util.HashMap<>();
        Map<String, Cost> costs = new LinkedHashMap<>();
        long previous = loads.isEmpty() ? 0 : loads.getFirst().uptimeNanos();
        for (Load load : loads) {
            long gap = load.uptimeNanos() - previous;
            previous = load.uptimeNanos();
            boolean init = load.uptimeNanos() <= boundaryNanos;
            String origin = origin(load, originOfClass);
            originOfClass.put(load.className(), origin);
            costs.merge(origin, init ? new Cost(1, gap, 0, 0) : new Cost(0, 0, 1, gap), Cost::plus);
        }
        return costs;
    }

    /**
     * Where a class came from, in the terms of a cold-start budget: the JDK (from the CDS archive or not), the
     * Lambda runtime client, each jar of the function's lib/ by name (version dropped), or the function's own
     * classes. A lambda's hidden class counts with the class that defined it.
     */
    static String origin(Load load, Map<String, String> originOfClass) {
        String source = load.source();
        if (source.startsWith("shared objects file")) {
            return "JDK, from the CDS archive";
        }
        if (source.startsWith("jrt:/")) {
            return "JDK, not in the CDS archive";
        }
        if (source.startsWith("__")) {
            return "JDK, generated (method handles, lambda forms)";
        }
        if (!source.contains(":")) {
            return originOfClass.getOrDefault(source, "JDK, generated (method handles, lambda forms)");
        }
        String path = source.replaceFirst("^jar:", "").replaceFirst("^file:", "").replaceFirst("!/.*$", "");
        if (path.endsWith(".jar")) {
            String jar = jarName(path.substring(path.lastIndexOf('/') + 1));
            return path.contains("/lambda-runtime/") ? "Lambda runtime client: " + jar : jar;
        }
        return "the function's own classes";
    }

    private static String jarName(String file) {
        return file.replaceFirst("-\\d[\\w.\\-]*\\.jar$", "").replaceFirst("\\.jar$", "");
    }

    /** Classes and milliseconds charged to one origin, in init and in the first invocation. */
    public record Cost(int initClasses, long initNanos, int invokeClasses, long invokeNanos) {
        Cost plus(Cost other) {
            return new Cost(initClasses + other.initClasses, initNanos + other.initNanos,
                    invokeClasses + other.invokeClasses, invokeNanos + other.invokeNanos);
        }

        public long totalNanos() {
            return initNanos + invokeNanos;
        }
    }
}
