package dev.approvals.functions;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.approvals.json.Json;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A scripted EventBridge for the handlers' tests: {@code PutEvents} over JSON 1.1 as the real API speaks it (so the
 * unmodified SDK client publishes to it), refusing a chosen share of entries the way EventBridge reports a failed
 * entry ({@code ErrorCode} in the answer, which the SDK does not retry), and delivering every accepted event, wrapped
 * as EventBridge wraps it for a rule's target, to the subscribers whose pattern matches, on threads of its own.
 */
final class LocalEventBus implements AutoCloseable {

    /** One entry the bus accepted, when, and the event as delivered. */
    record Received(String eventId, String kind, Instant at, Map<String, Object> event) {
    }

    private record Subscriber(Predicate<Map<String, Object>> pattern, Consumer<byte[]> target, int copies) {
    }

    private final HttpServer server;
    private final ExecutorService deliveries = Executors.newFixedThreadPool(4);
    private final Phaser inFlight = new Phaser(1);
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Throwable> deliveryFailures = new ConcurrentLinkedQueue<>();
    private final Random random;
    private final List<Runnable> held = new ArrayList<>();
    private boolean holding;
    private volatile double failureRate;
    private volatile int refused;

    LocalEventBus(long seed) throws IOException {
        random = new Random(seed);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::putEvents);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** From now on, refuse this share of entries (0 to 1). */
    void failing(double rate) {
        failureRate = rate;
    }

    /** Delivers each matching event {@code copies} times (concurrently) to the target, as a rule would. */
    void subscribe(Predicate<Map<String, Object>> pattern, Consumer<byte[]> target, int copies) {
        subscribers.add(new Subscriber(pattern, target, copies));
    }

    /** Accepts events but delivers none until {@link #release()}: what runs before an answer can be counted alone. */
    synchronized void hold() {
        holding = true;
    }

    synchronized void release() {
        holding = false;
        held.forEach(deliveries::execute);
        held.clear();
    }

    private synchronized void deliver(Runnable delivery) {
        if (holding) {
            held.add(delivery);
        } else {
            deliveries.execute(delivery);
        }
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    int refused() {
        return refused;
    }

    List<Throwable> deliveryFailures() {
        return List.copyOf(deliveryFailures);
    }

    /**
     * Waits until every delivery so far has been handled: a bound, not a timing assertion, wide enough for the fault
     * run's thousands of deliveries on a 2-core machine shared with other modules' tests (the parallel build).
     */
    void drain() throws InterruptedException, java.util.concurrent.TimeoutException {
        int phase = inFlight.arrive();
        inFlight.awaitAdvanceInterruptibly(phase, 180, TimeUnit.SECONDS);
    }

    @SuppressWarnings("unchecked")
    private void putEvents(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"AWSEvents.PutEvents".equals(exchange.getRequestHeaders().getFirst("X-Amz-Target"))) {
                answer(exchange, 400, Map.of("__type", "UnknownOperationException"));
                return;
            }
            Map<String, Object> request = (Map<String, Object>) Json.parse(exchange.getRequestBody().readAllBytes());
            List<Map<String, Object>> results = new ArrayList<>();
            int failed = 0;
            for (Object item : (List<Object>) request.get("Entries")) {
                Map<String, Object> entry = (Map<String, Object>) item;
                if (refuse()) {
                    failed++;
                    results.add(Map.of("ErrorCode", "InternalFailure", "ErrorMessage", "Scripted failure"));
                    continue;
                }
                String id = java.util.UUID.randomUUID().toString();
                results.add(Map.of("EventId", id));
                accept(id, entry);
            }
            answer(exchange, 200, Map.of("FailedEntryCount", failed, "Entries", results));
        }
    }

    private synchronized boolean refuse() {
        boolean refuse = random.nextDouble() < failureRate;
        if (refuse) {
            refused++;
        }
        return refuse;
    }

    @SuppressWarnings("unchecked")
    private void accept(String id, Map<String, Object> entry) {
        Map<String, Object> detail = (Map<String, Object>) Json.parse(
                ((String) entry.get("Detail")).getBytes(StandardCharsets.UTF_8));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", id);
        event.put("detail-type", entry.get("DetailType"));
        event.put("source", entry.get("Source"));
        event.put("account", "000000000000");
        event.put("time", Instant.now().toString().replaceAll("\\.\\d+Z$", "Z"));
        event.put("region", "us-east-1");
        event.put("resources", entry.getOrDefault("Resources", List.of()));
        event.put("detail", detail);
        received.add(new Received((String) detail.get("eventId"), (String) entry.get("DetailType"), Instant.now(),
                event));
        byte[] delivered = Json.writeBytes(event);
        for (Subscriber subscriber : subscribers) {
            if (subscriber.pattern().test(event)) {
                for (int copy = 0; copy < subscriber.copies(); copy++) {
                    inFlight.register();
                    deliver(() -> {
                        try {
                            subscriber.target().accept(delivered);
                        } catch (Throwable failure) {
                            deliveryFailures.add(failure);
                        } finally {
                            inFlight.arriveAndDeregister();
                        }
                    });
                }
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = Json.writeBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        deliveries.shutdownNow();
    }
}
