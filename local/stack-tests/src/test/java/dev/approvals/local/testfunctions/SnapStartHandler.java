package dev.approvals.local.testfunctions;

import com.amazonaws.services.lambda.crac.Context;
import com.amazonaws.services.lambda.crac.Core;
import com.amazonaws.services.lambda.crac.Resource;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A function with a CRaC hook (the runtime's own CRaC API): it answers which hooks ran, and in what order. */
public final class SnapStartHandler implements RequestStreamHandler, Resource {

    private final StringBuilder hooks = new StringBuilder();

    public SnapStartHandler() {
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        hooks.append("beforeCheckpoint ");
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        hooks.append("afterRestore ");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output,
                              com.amazonaws.services.lambda.runtime.Context context) throws IOException {
        output.write(("{\"hooks\":\"" + hooks.toString().strip() + "\",\"initializationType\":\""
                + System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE") + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
