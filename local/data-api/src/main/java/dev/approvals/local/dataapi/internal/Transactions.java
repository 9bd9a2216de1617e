package dev.approvals.local.dataapi.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Data API transactions: each pinned to one pooled connection (autocommit off), bound to its cluster ARN, and
 * rolled back after {@code idleTimeout} without a call or {@code maxLifetime} in total. An unknown, ended or
 * expired id answers {@code TransactionNotFoundException} (404). Calls on one transaction are serialised.
 */
public final class Transactions implements AutoCloseable {

    /** One open transaction. */
    public static final class Transaction {
        private final String id;
        private final String clusterArn;
        private final String database;
        private final Databases.Lease lease;
        private final Instant created;
        private volatile Instant lastUsed;
        private final Semaphore inUse = new Semaphore(1);
        private volatile boolean ended;

        Transaction(String id, String clusterArn, String database, Databases.Lease lease, Instant now) {
            this.id = id;
            this.clusterArn = clusterArn;
            this.database = database;
            this.lease = lease;
            this.created = now;
            this.lastUsed = now;
        }

        public String id() {
            return id;
        }

        public String database() {
            return database;
        }

        public Databases.Lease lease() {
            return lease;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Transaction> open = new ConcurrentHashMap<>();
    private final InstantSource clock;
    private final Duration idleTimeout;
    private final Duration maxLifetime;
    private final ScheduledExecutorService reaper;

    public Transactions(InstantSource clock, Duration idleTimeout, Duration maxLifetime, Duration reapInterval) {
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.maxLifetime = maxLifetime;
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "data-api-transaction-reaper");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(10, reapInterval.toMillis());
        reaper.scheduleWithFixedDelay(this::reapExpired, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Registers a new transaction on {@code lease}, whose connection already has autocommit off. */
    public Transaction begin(String clusterArn, String database, Databases.Lease lease) {
        byte[] bytes = new byte[96];
        RANDOM.nextBytes(bytes);
        Transaction t = new Transaction(Base64.getEncoder().encodeToString(bytes), clusterArn, database, lease,
                clock.instant());
        open.put(t.id, t);
        return t;
    }

    /** Takes exclusive use of a transaction for one call; give it back with {@link #release}. */
    public Transaction acquire(String id, String clusterArn) {
        Transaction t = open.get(id);
        if (t == null || !t.clusterArn.equals(clusterArn)) {
            throw DataApiException.transactionNotFound(id);
        }
        t.inUse.acquireUninterruptibly();
        if (t.ended) {
            t.inUse.release();
            throw DataApiException.transactionNotFound(id);
        }
        if (expired(t)) {
            endAndRollBack(t);
            throw DataApiException.transactionNotFound(id);
        }
        return t;
    }

    /** Ends a call on the transaction: it counts as used now. */
    public void release(Transaction t) {
        t.lastUsed = clock.instant();
        t.inUse.release();
    }

    /** Ends an acquired transaction (commit or rollback done by the caller); its connection is given back. */
    public void finish(Transaction t) {
        t.ended = true;
        open.remove(t.id);
        t.lease.release();
        t.inUse.release();
    }

    public int openCount() {
        return open.size();
    }

    private boolean expired(Transaction t) {
        Instant now = clock.instant();
        return Duration.between(t.lastUsed, now).compareTo(idleTimeout) > 0
                || Duration.between(t.created, now).compareTo(maxLifetime) > 0;
    }

    /** Rolls back the expired transactions that no call is using. */
    public void reapExpired() {
        for (Transaction t : open.values()) {
            if (expired(t) && t.inUse.tryAcquire()) {
                if (t.ended) {
                    t.inUse.release();
                } else {
                    endAndRollBack(t);
                }
            }
        }
    }

    private void endAndRollBack(Transaction t) {
        finish(t); // Lease.release() rolls back
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        for (Transaction t : open.values()) {
            if (t.inUse.tryAcquire()) {
                finish(t);
            } else {
                open.remove(t.id);
            }
        }
    }
}
