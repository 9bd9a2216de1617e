package dev.approvals.local.lambda;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The AWS Lambda Runtime Interface Client (RIC) and the jars it needs, as the Lambda java runtime puts them on its
 * class path, plus the RIC's native part for this platform and the {@code java} that runs the functions.
 *
 * <p>The jars are in {@code target/lambda-runtime/} next to the stack's classes or jar (the build copies them
 * there), or in the directory named by the system property {@value #DIRECTORY_PROPERTY}. The native library is
 * extracted once into a directory of the caller's and passed to each function process with
 * {@value #JNI_PROPERTY}, as Lambda does: left alone, every process would unpack it to the same
 * {@code /tmp/.libaws-lambda-jni.so} and race the others.
 */
public final class LambdaRuntimeLibrary {

    public static final String DIRECTORY_PROPERTY = "approvals.lambda.runtime.dir";
    public static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    public static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final String RIC_JAR_PREFIX = "aws-lambda-java-runtime-interface-client-";

    private final List<Path> classPath;
    private final Path ricJar;
    private final Path jniLibrary;
    private final Path java;

    private LambdaRuntimeLibrary(List<Path> classPath, Path ricJar, Path jniLibrary, Path java) {
        this.classPath = List.copyOf(classPath);
        this.ricJar = ricJar;
        this.jniLibrary = jniLibrary;
        this.java = java;
    }

    /**
     * Finds the runtime jars and extracts the native library for this platform into {@code scratch}.
     *
     * @throws IllegalStateException naming what is missing: the jars (build first), or a platform the RIC has no
     *                               native code for (it ships Linux x86_64 and aarch64, glibc and musl)
     */
    public static LambdaRuntimeLibrary prepare(Path scratch) {
        Path directory = directory();
        List<Path> jars;
        try (Stream<Path> files = Files.list(directory)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the Lambda runtime jars in " + directory, e);
        }
        Path ric = jars.stream().filter(p -> p.getFileName().toString().startsWith(RIC_JAR_PREFIX)).findFirst()
                .orElseThrow(() -> new IllegalStateException("No " + RIC_JAR_PREFIX + "*.jar in " + directory
                        + ": build the stack first (./mvnw -pl local/stack -am package)"));
        String library = nativeLibraryName();
        Path extracted = scratch.resolve(library);
        try (ZipFile zip = new ZipFile(ric.toFile())) {
            ZipEntry entry = zip.getEntry("jni/" + library);
            if (entry == null) {
                throw new IllegalStateException(ric.getFileName() + " has no jni/" + library);
            }
            Files.createDirectories(scratch);
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, extracted, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract the RIC's native library from " + ric, e);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new LambdaRuntimeLibrary(jars, ric, extracted, java);
    }

    /** The jars of the runtime's class path (the function's own code is not on it). */
    public List<Path> classPath() {
        return classPath;
    }

    public Path jniLibrary() {
        return jniLibrary;
    }

    public Path java() {
        return java;
    }

    /** The RIC version, from its jar's name (e.g. {@code 2.10.1}). */
    public String ricVersion() {
        String name = ricJar.getFileName().toString();
        return name.substring(RIC_JAR_PREFIX.length(), name.length() - ".jar".length());
    }

    /** The Java feature version of {@link #java()} (the stack runs the functions on its own JDK). */
    public int javaFeatureVersion() {
        return Runtime.version().feature();
    }

    private static Path directory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        try {
            // target/classes (tests) or target/approvals-local.jar (the CLI): both sit in target/
            Path codeSource = Path.of(LambdaRuntimeLibrary.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI());
            Path candidate = codeSource.getParent().resolve("lambda-runtime");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            throw new IllegalStateException("No Lambda runtime jars at " + candidate
                    + ": build the stack first (./mvnw -pl local/stack -am package) or set -D" + DIRECTORY_PROPERTY);
        } catch (URISyntaxException | SecurityException e) {
            throw new IllegalStateException("Cannot locate the Lambda runtime jars; set -D" + DIRECTORY_PROPERTY, e);
        }
    }

    /** The RIC's own naming: {@code libaws-lambda-jni.<linux|linux_musl>-<x86_64|aarch_64>.so}. */
    static String nativeLibraryName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            throw new IllegalStateException("The AWS Lambda Runtime Interface Client has native code for Linux only"
                    + " (this is " + System.getProperty("os.name") + "): run the local stack on Linux");
        }
        String cpu = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch_64";
            default -> throw new IllegalStateException("The AWS Lambda Runtime Interface Client has no native code"
                    + " for " + arch + " (x86_64 and aarch64 only)");
        };
        boolean musl = Files.exists(Path.of("/lib/ld-musl-x86_64.so.1"))
                || Files.exists(Path.of("/lib/ld-musl-aarch64.so.1"));
        return "libaws-lambda-jni." + (musl ? "linux_musl-" : "linux-") + cpu + ".so";
    }

    /** The class path as one {@code -classpath} argument. */
    String classPathArgument() {
        List<String> entries = new ArrayList<>();
        classPath.forEach(p -> entries.add(p.toString()));
        return String.join(File.pathSeparator, entries);
    }

    @Override
    public String toString() {
        return "LambdaRuntimeLibrary[RIC " + ricVersion() + ", " + Objects.toString(jniLibrary) + "]";
    }
}
