package dev.approvals.local.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Hands events to targets the way EventBridge and Lambda do it: a function target is invoked asynchronously,
 * and a failed attempt (function error, timeout, or the function not running) is retried after each of the
 * {@code retryDelays} (Lambda's asynchronous invocation retries a function error twice by default, about one
 * and then two minutes apart; locally the delays are short and configurable). SNS targets are recorded, other
 * targets listed as unsupported.
 */
final class Deliveries {

    private final FunctionInvoker invoker;
    private final List<Duration> retryDelays;
    private final ScheduledExecutorService timers;
    private final Consumer<String> log;

    Deliveries(FunctionInvoker invoker, List<Duration> retryDelays, ScheduledExecutorService timers,
               Consumer<String> log) {
        this.invoker = invoker;
        this.retryDelays = List.copyOf(retryDelays);
        this.timers = timers;
        this.log = log;
    }

    /** Starts delivering {@code event} to {@code target}; the returned delivery tells how it goes. */
    Delivery deliver(String rule, Target target, JsonNode event) {
        return switch (target.kind()) {
            case SNS -> {
                log.accept(rule + " -> " + target.arn() + ": recorded (SNS is not sent locally)");
                yield new Delivery(rule, target, Delivery.Status.RECORDED);
            }
            case UNSUPPORTED -> {
                log.accept(rule + " -> " + target.arn() + ": target type not supported locally");
                yield new Delivery(rule, target, Delivery.Status.UNSUPPORTED);
            }
            case FUNCTION -> {
                Delivery delivery = new Delivery(rule, target, Delivery.Status.PENDING);
                attempt(delivery, payload(target, event), 0);
                yield delivery;
            }
        };
    }

    private void attempt(Delivery delivery, byte[] payload, int retry) {
        Target target = delivery.target();
        String function = target.functionName().orElseThrow();
        invoker.invoke(function, target.qualifier(), payload).whenComplete((error, failure) -> {
            Optional<String> failed = failure != null ? Optional.of(couldNotRun(failure)) : error;
            delivery.attempted(failed.orElse(null));
            if (failed.isEmpty()) {
                delivery.finish(Delivery.Status.DELIVERED);
                log.accept(delivery.rule() + " -> " + function + ": delivered (attempt " + (retry + 1) + ")");
            } else if (retry < retryDelays.size()) {
                log.accept(delivery.rule() + " -> " + function + ": " + failed.get() + ", retrying in "
                        + retryDelays.get(retry).toMillis() + " ms");
                timers.schedule(() -> attempt(delivery, payload, retry + 1), retryDelays.get(retry).toMillis(),
                        TimeUnit.MILLISECONDS);
            } else {
                delivery.finish(Delivery.Status.FAILED);
                log.accept(delivery.rule() + " -> " + function + ": " + failed.get() + ", gave up after "
                        + (retry + 1) + " attempts");
            }
        });
    }

    private static String couldNotRun(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return "ServiceException: " + cause.getMessage();
    }

    /** {@code Input} if set, else the part {@code InputPath} selects, else the whole event. */
    static byte[] payload(Target target, JsonNode event) {
        if (target.input().isPresent()) {
            return target.input().get().getBytes(StandardCharsets.UTF_8);
        }
        JsonNode selected = event;
        if (target.inputPath().isPresent()) {
            String path = target.inputPath().get();
            for (String step : path.replaceFirst("^\\$\\.?", "").split("\\.")) {
                if (!step.isEmpty()) {
                    selected = selected.path(step);
                }
            }
        }
        return selected.isMissingNode() ? "null".getBytes(StandardCharsets.UTF_8)
                : selected.toString().getBytes(StandardCharsets.UTF_8);
    }
}
