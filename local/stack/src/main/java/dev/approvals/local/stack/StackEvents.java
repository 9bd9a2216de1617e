package dev.approvals.local.stack;

import dev.approvals.local.events.FunctionInvoker;
import dev.approvals.local.events.LocalEventBridge;
import dev.approvals.local.lambda.InvocationResult;
import dev.approvals.local.lambda.InvokeRequest;
import dev.approvals.local.lambda.LambdaFunction;
import dev.approvals.local.lambda.LogSink;
import dev.approvals.local.template.IntrinsicResolver;
import dev.approvals.local.template.SamTemplate;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Starts the EventBridge stand-in for a {@link LocalStack}: the template's buses, rules and schedules, function
 * targets invoked through the stack's Lambda pools (looked up when an event arrives, so the stand-in can start,
 * and its endpoint go into the functions' environment, before the functions do).
 */
final class StackEvents {

    /** The AWS SDK's service-specific endpoint variable: the functions' EventBridgeClient goes to the stand-in. */
    static final String ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_EVENTBRIDGE";

    private StackEvents() {
    }

    static LocalEventBridge start(SamTemplate template, IntrinsicResolver resolver, LocalStackConfig config,
                                  Map<String, LambdaFunction> functions, LogSink log) {
        TemplateEvents.Routing routing = TemplateEvents.read(template, resolver, config.region(), LocalStack.ACCOUNT_ID);
        LocalEventBridge.Builder builder = LocalEventBridge.builder().port(config.eventsPort())
                .region(config.region()).accountId(LocalStack.ACCOUNT_ID)
                .rules(routing.rules()).schedules(routing.schedules())
                .scheduleSpeedup(config.scheduleSpeedup())
                .invoker(invoker(functions)).log(log::line);
        routing.buses().forEach(builder::bus);
        LocalEventBridge events = builder.start();
        log.line(routing.buses().size() + " event buses, " + routing.rules().size() + " rules, "
                + routing.schedules().size() + " schedules from the template; PutEvents on " + events.endpoint());
        return events;
    }

    /** Each attempt is one asynchronous invocation of the function's pool (as Lambda's own async queue does). */
    static FunctionInvoker invoker(Map<String, LambdaFunction> functions) {
        return (name, qualifier, payload) -> {
            LambdaFunction function = functions.get(name);
            if (function == null) {
                return CompletableFuture.failedFuture(new IllegalStateException("Function not found: " + name));
            }
            String arn = function.spec().arn() + qualifier.map(q -> ":" + q).orElse("");
            return function.invoke(InvokeRequest.of(payload, arn)).thenApply(InvocationResult::errorType);
        };
    }
}
