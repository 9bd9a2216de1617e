package dev.approvals.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A function's deployable zip, unpacked and run in a fresh JVM per invocation: the closest this machine gets to a
 * Lambda cold start without Lambda. The JVM flags are those the java21 runtime applies by default.
 */
public final class ColdStart {

    /** Lambda's java21 runtime stops tiered compilation at C1 and uses the serial collector. */
    static final List<String> LAMBDA_LIKE_JVM_FLAGS =
            List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx512m");

    private final Path unpacked;

    private ColdStart(Path unpacked) {
        this.unpacked = unpacked;
    }

    /** Unpacks {@code function.zip} the way Lambda does: classes at the root, jars under lib/. */
    public static ColdStart of(Path functionZip) {
        try {
            Path dir = Files.createTempDirectory("cold-start-");
            try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(functionZip))) {
                for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                    Path target = dir.resolve(entry.getName()).normalize();
                    if (!target.startsWith(dir)) {
                        throw new IOException("Zip entry outside the target: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(zip, target);
                    }
                }
            }
            return new ColdStart(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not unpack " + functionZip, e);
        }
    }

    /** One fresh JVM: construct the handler, invoke it once with {@code event}, report. */
    public Run run(String handlerClass, Path event, Map<String, String> environment, Path classLoadLog) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LAMBDA_LIKE_JVM_FLAGS);
        if (classLoadLog != null) {
            command.add("-Xlog:class+load=info:file=" + classLoadLog);
        }
        command.add("-cp");
        command.add(unpacked + java.io.File.pathSeparator + unpacked.resolve("lib") + "/*"
                + java.io.File.pathSeparator + launcherLocation());
        command.add(FirstInvocation.class.getName());
        command.add(handlerClass);
        command.add(event.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(environment);
        try {
            long start = System.nanoTime();
            Process process = builder.start();
            Map<String, String> lines = new HashMap<>();
            try (InputStream out = process.getInputStream()) {
                for (String line : new String(out.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    int eq = line.indexOf('=');
                    if (eq > 0 && line.substring(0, eq).matches("[A-Z_]+")) {
                        lines.put(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
            }
            double wallMs = (System.nanoTime() - start) / 1e6;
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("The function JVM did not exit within 60 s");
            }
            if (process.exitValue() != 0 || !lines.containsKey("ANSWER")) {
                throw new IllegalStateException("The function JVM failed (exit " + process.exitValue() + "): " + lines);
            }
            List<String> loaded = classLoadLog == null ? List.of() : loadedClasses(classLoadLog);
            return new Run(wallMs, Double.parseDouble(lines.get("INIT_MS")), Double.parseDouble(lines.get("INVOKE_MS")),
                    lines.get("OUTCOME"), new String(Base64.getDecoder().decode(lines.get("ANSWER")), StandardCharsets.UTF_8),
                    loaded);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> loadedClasses(Path log) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            // "[0.012s][info][class,load] java.lang.Object source: shared objects file"
            return lines.map(line -> line.replaceFirst("^(\\[[^]]*])+\\s*", ""))
                    .map(line -> line.split(" ", 2)[0])
                    .toList();
        }
    }

    private static String launcherLocation() {
        try {
            return Path.of(FirstInvocation.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One cold start.
     *
     * @param wallMs   from starting the JVM process to its answer on standard output, JVM boot included
     * @param initMs   the handler's constructor: configuration, SDK client (Lambda's INIT phase)
     * @param invokeMs the first invocation, database round trip included
     * @param outcome  "answer", or "thrown" and the exception class on the direct path
     */
    public record Run(double wallMs, double initMs, double invokeMs, String outcome, String answer,
                      List<String> loadedClasses) {
    }
}
