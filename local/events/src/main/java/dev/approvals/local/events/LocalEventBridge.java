package dev.approvals.local.events;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Amazon EventBridge on loopback, for the local stack: {@code PutEvents} over AWS JSON 1.1 (the unmodified SDK
 * {@code EventBridgeClient} and {@code aws events put-events --endpoint-url} work against it), the template's
 * rules applied to every accepted event, matching events delivered to their targets asynchronously with
 * Lambda's retries, schedules fired on their period, and everything listed at {@code GET /_local/events}.
 *
 * <pre>{@code
 * try (LocalEventBridge events = LocalEventBridge.builder().port(0).bus("approvals").rules(rules)
 *         .invoker((name, qualifier, payload) -> ...).build().start()) {
 *     events.endpoint(); // AWS_ENDPOINT_URL_EVENTBRIDGE of the functions
 *     events.received(); // what came in, what matched, how delivery went
 * }
 * }</pre>
 */
public final class LocalEventBridge implements AutoCloseable {

    /** Numbers in a detail reach the targets as sent: no rounding to a double, no trailing zero dropped. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final Builder settings;
    private final ReceivedEvents received;
    private final ScheduledExecutorService timers;
    private final Deliveries deliveries;
    private final ScheduleRunner schedules;
    private HttpServer server;
    private ExecutorService threads;

    private LocalEventBridge(Builder settings) {
        this.settings = settings;
        this.received = new ReceivedEvents(settings.capacity);
        this.timers = Executors.newScheduledThreadPool(2, daemon("local-events-timers"));
        this.deliveries = new Deliveries(settings.invoker, settings.retryDelays, timers, settings.log);
        this.schedules = new ScheduleRunner(settings.schedules, settings.scheduleSpeedup, deliveries, received,
                timers, JSON, settings.clock, settings.region, settings.accountId, settings.log);
    }

    public static Builder builder() {
        return new Builder();
    }

    private LocalEventBridge listen() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the local EventBridge on port " + settings.port, e);
        }
        Set<String> buses = new LinkedHashSet<>(settings.buses);
        buses.add("default");
        PutEvents putEvents = new PutEvents(JSON, buses, settings.region, settings.accountId);
        EventBridgeHttp http = new EventBridgeHttp(this, putEvents, JSON, settings.clock, settings.log);
        threads = Executors.newFixedThreadPool(4, daemon("local-events-http"));
        server.createContext("/", http::handle);
        server.setExecutor(threads);
        server.start();
        return this;
    }

    /** Starts firing the schedules (the stack calls it once the functions run). */
    public void startSchedules() {
        schedules.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<EventRule> rules() {
        return settings.rules;
    }

    public List<Schedule> schedules() {
        return settings.schedules;
    }

    /** What was received (and fired), oldest first, at most the configured capacity. */
    public List<ReceivedEvent> received() {
        return received.all();
    }

    /** Test hook: runs a schedule's targets once, now, whatever its period. */
    public ReceivedEvent fire(String scheduleName) {
        Schedule schedule = settings.schedules.stream().filter(s -> s.name().equals(scheduleName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No schedule " + scheduleName));
        return schedules.fire(schedule);
    }

    ObjectNode receivedJson() {
        return received.toJson(JSON);
    }

    /** Applies the rules of each event's bus and starts the deliveries; records the event. */
    void route(List<PutEvents.Accepted> accepted) {
        for (PutEvents.Accepted event : accepted) {
            List<Delivery> started = new ArrayList<>();
            for (EventRule rule : settings.rules) {
                if (rule.enabled() && rule.busName().equals(event.busName()) && rule.pattern().matches(event.envelope())) {
                    rule.targets().forEach(t -> started.add(deliveries.deliver(rule.name(), t, event.envelope())));
                }
            }
            received.add(new ReceivedEvent(settings.clock.instant(), "PutEvents", event.busName(), event.envelope(),
                    started));
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        if (threads != null) {
            threads.shutdownNow();
        }
        timers.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Settings; {@link #start()} binds the port (0: any free port). */
    public static final class Builder {
        private int port = 8084;
        private String region = "us-east-1";
        private String accountId = "123456789012";
        private final Set<String> buses = new LinkedHashSet<>();
        private List<EventRule> rules = List.of();
        private List<Schedule> schedules = List.of();
        private FunctionInvoker invoker = (name, qualifier, payload) ->
                java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("no functions"));
        private List<Duration> retryDelays = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2));
        private double scheduleSpeedup = 1;
        private int capacity = 1000;
        private Clock clock = Clock.systemUTC();
        private Consumer<String> log = line -> { };

        private Builder() {
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder region(String region) {
            this.region = Objects.requireNonNull(region);
            return this;
        }

        public Builder accountId(String accountId) {
            this.accountId = Objects.requireNonNull(accountId);
            return this;
        }

        /** A custom bus that exists (the {@code default} bus always does). */
        public Builder bus(String name) {
            buses.add(name);
            return this;
        }

        public Builder rules(List<EventRule> rules) {
            this.rules = List.copyOf(rules);
            rules.forEach(rule -> buses.add(rule.busName()));
            return this;
        }

        public Builder schedules(List<Schedule> schedules) {
            this.schedules = List.copyOf(schedules);
            return this;
        }

        /** How function targets are run. */
        public Builder invoker(FunctionInvoker invoker) {
            this.invoker = Objects.requireNonNull(invoker);
            return this;
        }

        /** The waits before each retry of a failed delivery (default 1 s, 2 s: three attempts, as Lambda async). */
        public Builder retryDelays(List<Duration> delays) {
            this.retryDelays = List.copyOf(delays);
            return this;
        }

        /** Schedules run this many times faster than their expression says (default 1). */
        public Builder scheduleSpeedup(double speedup) {
            this.scheduleSpeedup = speedup;
            return this;
        }

        /** How many events {@code /_local/events} keeps (default 1000; older ones are dropped). */
        public Builder capacity(int capacity) {
            this.capacity = capacity;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder log(Consumer<String> log) {
            this.log = Objects.requireNonNull(log);
            return this;
        }

        public LocalEventBridge start() {
            return new LocalEventBridge(this).listen();
        }
    }
}
