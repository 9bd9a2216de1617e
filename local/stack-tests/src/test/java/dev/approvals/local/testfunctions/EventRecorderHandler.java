package dev.approvals.local.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A target of EventBridge rules and schedules for the stand-in's tests: appends every event it gets, one line
 * each, to the file named by {@code RECORD_FILE} (an attempt is recorded before it fails), and throws when the
 * event asks it to ({@code "fail": true} anywhere), so that retries show.
 */
public final class EventRecorderHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8).replace('\n', ' ');
        Files.writeString(Path.of(System.getenv("RECORD_FILE")), context.getInvokedFunctionArn() + " " + event + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (event.replace(" ", "").contains("\"fail\":true")) {
            throw new IllegalStateException("asked to fail");
        }
        output.write("null".getBytes(StandardCharsets.UTF_8));
    }
}
