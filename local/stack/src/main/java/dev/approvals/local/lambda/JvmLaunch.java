package dev.approvals.local.lambda;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How Lambda's java runtime starts a function's JVM: its command line (heap sized from MemorySize, the runtime's
 * JVM flags, the Runtime Interface Client as main class) and its environment (the function's variables, then
 * Lambda's reserved ones).
 */
final class JvmLaunch {

    private static final DateTimeFormatter STREAM_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd");

    private final FunctionSpec spec;
    private final LambdaRuntimeLibrary runtime;

    JvmLaunch(FunctionSpec spec, LambdaRuntimeLibrary runtime) {
        this.spec = spec;
        this.runtime = runtime;
    }

    /** The JVM command line of Lambda's java runtime, heap sized from MemorySize (85%, as Lambda does). */
    List<String> command(Path tmp) {
        List<String> command = new ArrayList<>();
        command.add(runtime.java().toString());
        command.add("-XX:MaxHeapSize=" + (spec.memorySizeMb() * 1024L * 85 / 100) + "k");
        command.add("-XX:+UseSerialGC");
        command.add("-Xshare:auto");
        command.add("-XX:+TieredCompilation");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("--add-opens=java.base/java.io=ALL-UNNAMED");
        command.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
        command.add("-Djava.net.preferIPv4Stack=true");
        command.add("-XX:+ErrorFileToStderr");
        if (runtime.javaFeatureVersion() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED"); // the RIC loads its JNI library
        }
        if (runtime.javaFeatureVersion() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // the RIC's UnsafeUtil
        }
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-D" + LambdaRuntimeLibrary.JNI_PROPERTY + "=" + runtime.jniLibrary());
        command.add("-classpath");
        command.add(runtime.classPathArgument());
        command.add(LambdaRuntimeLibrary.MAIN_CLASS);
        command.add(spec.handler());
        return command;
    }

    /**
     * The function's variables, then Lambda's reserved ones (which a function cannot override on AWS either).
     * Credentials are dummies, and HOME is an empty directory: no developer's ~/.aws leaks in.
     */
    Map<String, String> environment(Path home, int runtimeApiPort, boolean snapStart) {
        Map<String, String> env = new LinkedHashMap<>(spec.environment());
        env.put("_HANDLER", spec.handler());
        env.put("AWS_REGION", spec.region());
        env.put("AWS_DEFAULT_REGION", spec.region());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + spec.runtime());
        env.put("AWS_LAMBDA_FUNCTION_NAME", spec.name());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memorySizeMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", snapStart ? "snap-start" : "on-demand");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.name());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", LocalDate.now(ZoneOffset.UTC).format(STREAM_DATE) + "/[$LATEST]"
                + HexFormat.of().formatHex(RuntimeApi.randomBytes(16)));
        spec.logFormat().ifPresent(format -> env.put("AWS_LAMBDA_LOG_FORMAT", format));
        spec.logLevel().ifPresent(level -> env.put("AWS_LAMBDA_LOG_LEVEL", level));
        env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + runtimeApiPort);
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_SESSION_TOKEN", "local");
        env.put("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
        env.put("LAMBDA_TASK_ROOT", spec.codeDirectory().toString());
        env.put("LAMBDA_RUNTIME_DIR", runtime.classPath().getFirst().getParent().toString());
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        env.put("PATH", "/usr/local/bin:/usr/bin/:/bin:/opt/bin");
        env.put("HOME", home.toString());
        return env;
    }

}
