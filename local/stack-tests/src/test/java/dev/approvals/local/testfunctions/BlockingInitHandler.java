package dev.approvals.local.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A function whose init hangs while the file named by {@code BLOCK_INIT_FILE} exists (as an init starved of CPU
 * does, until Lambda's init timeout), and otherwise behaves as {@link TestHandler}.
 */
public final class BlockingInitHandler implements RequestStreamHandler {

    private final TestHandler delegate = new TestHandler();

    public BlockingInitHandler() throws InterruptedException {
        Path marker = Path.of(System.getenv("BLOCK_INIT_FILE"));
        while (Files.exists(marker)) {
            Thread.sleep(50);
        }
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        delegate.handleRequest(input, output, context);
    }
}
