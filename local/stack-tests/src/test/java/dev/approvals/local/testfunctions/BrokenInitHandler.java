package dev.approvals.local.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.InputStream;
import java.io.OutputStream;

/** A function whose init fails, as a misconfigured one does: its constructor throws. */
public final class BrokenInitHandler implements RequestStreamHandler {

    public BrokenInitHandler() {
        throw new IllegalStateException("Environment variable NEEDED is not set");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        throw new AssertionError("never reached");
    }
}
