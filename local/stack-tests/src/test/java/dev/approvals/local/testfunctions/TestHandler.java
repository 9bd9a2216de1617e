package dev.approvals.local.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lambda function for the runtime's tests, run under the real RIC in its own JVM (only the JDK and
 * aws-lambda-java-core are available there). Direct payloads choose what it does with {@code "action"}; HTTP API
 * events with their path ({@code /echo}, {@code /inferred}, {@code /malformed}, {@code /throw}, {@code /sleep},
 * {@code /binary}, {@code /cookies}, {@code /status-NNN}).
 */
public final class TestHandler implements RequestStreamHandler {

    private static final Pattern ACTION = Pattern.compile("\"action\"\\s*:\\s*\"([a-z]+)\"");
    private static final Pattern SLEEP = Pattern.compile("\"sleepMs\"\\s*:\\s*(\\d+)");
    private static final Pattern RAW_PATH = Pattern.compile("\"rawPath\"\\s*:\\s*\"([^\"]*)\"");

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        System.out.println("test-handler " + context.getAwsRequestId());
        Matcher path = RAW_PATH.matcher(event);
        if (event.contains("\"version\":\"2.0\"") && path.find()) {
            http(path.group(1), event, output);
            return;
        }
        Matcher action = ACTION.matcher(event);
        switch (action.find() ? action.group(1) : "echo") {
            case "fail" -> throw new IllegalStateException("boom: the test function failed on purpose");
            case "sleep" -> sleep(event);
            case "exit" -> Runtime.getRuntime().halt(3);
            case "barrier" -> barrier(context);
            default -> { }
        }
        write(output, echo(event, context));
    }

    /** By the path's last segment: /echo, /items/42/echo and /slow/echo all echo. */
    private static void http(String path, String event, OutputStream output) throws IOException {
        switch (path.substring(path.lastIndexOf('/'))) {
            case "/echo" -> write(output, "{\"statusCode\":200,\"headers\":{\"content-type\":\"application/json\","
                    + "\"x-echo\":\"yes\"},\"body\":" + quote(event) + "}");
            case "/inferred" -> write(output, "{\"hello\":\"world\"}");
            case "/malformed" -> write(output, "this is not JSON");
            case "/throw" -> throw new IllegalArgumentException("the HTTP test function failed on purpose");
            case "/sleep" -> {
                sleep("\"sleepMs\": 4000");
                write(output, "{\"statusCode\":200,\"body\":\"late\"}");
            }
            case "/binary" -> write(output, "{\"statusCode\":200,\"headers\":{\"content-type\":\"image/png\"},"
                    + "\"isBase64Encoded\":true,\"body\":\"iVBORw0KGgo=\"}");
            case "/cookies" -> write(output, "{\"statusCode\":201,\"cookies\":[\"a=1; Path=/\",\"b=2\"],"
                    + "\"multiValueHeaders\":{\"x-multi\":[\"one\",\"two\"]},\"body\":\"\"}");
            default -> write(output, path.matches(".*/status-\\d{3}")
                    ? "{\"statusCode\":" + path.substring(path.length() - 3) + ",\"body\":\"\"}"
                    : "{\"statusCode\":404,\"body\":\"unknown test path\"}");
        }
    }

    private static String echo(String event, Context context) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event", event);
        fields.put("requestId", context.getAwsRequestId());
        fields.put("functionName", context.getFunctionName());
        fields.put("functionVersion", context.getFunctionVersion());
        fields.put("memoryLimitMb", context.getMemoryLimitInMB());
        fields.put("remainingMs", context.getRemainingTimeInMillis());
        fields.put("invokedArn", context.getInvokedFunctionArn());
        fields.put("logGroup", context.getLogGroupName());
        fields.put("clientContextCustom", context.getClientContext() == null ? null
                : String.valueOf(context.getClientContext().getCustom()));
        fields.put("traceHeader", System.getProperty("com.amazonaws.xray.traceHeader"));
        fields.put("pid", ProcessHandle.current().pid());
        fields.put("userDir", System.getProperty("user.dir"));
        fields.put("systemClassPath", System.getProperty("java.class.path"));
        fields.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        for (String name : new String[] {"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "_HANDLER",
                "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "HOME",
                "AWS_ACCESS_KEY_ID", "TEST_VARIABLE", "PATH"}) {
            fields.put("env." + name, System.getenv(name));
        }
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quote(name)).append(':');
            json.append(value instanceof Number ? value.toString() : value == null ? "null" : quote(value.toString()));
        });
        return json.append('}').toString();
    }

    private static void sleep(String event) {
        Matcher sleep = SLEEP.matcher(event);
        long millis = sleep.find() ? Long.parseLong(sleep.group(1)) : 1000;
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until two invocations are in two different JVMs at once (a marker file each). */
    private static void barrier(Context context) throws IOException {
        Path directory = Path.of(System.getenv("BARRIER_DIR"));
        Files.writeString(directory.resolve(ProcessHandle.current().pid() + "-" + context.getAwsRequestId()), "");
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            try (var files = Files.list(directory)) {
                if (files.map(p -> p.getFileName().toString().split("-")[0]).distinct().count() >= 2) {
                    return;
                }
            }
            sleep("\"sleepMs\": 20");
        }
        throw new IllegalStateException("no second invocation ran at the same time");
    }

    private static void write(OutputStream output, String text) throws IOException {
        output.write(text.getBytes(StandardCharsets.UTF_8));
    }

    static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
