package dev.approvals.local.dataapi.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a call's SQL on its connection within the call timeout (45 s by default). On timeout the statement is
 * cancelled and the call answers {@code StatementTimeoutException} with the backend pid as {@code dbConnectionId};
 * with {@code continueAfterTimeout} the call answers the same error at once but the statement runs to completion.
 * The connection is given back (or the transaction released) only when the SQL has finished.
 */
final class StatementRunner implements AutoCloseable {

    /** SQL work on one connection; registers each statement it runs so it can be cancelled. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection, Cancellation cancellation) throws SQLException;
    }

    /** Lets the caller cancel whatever statement the work is running now (or will run next). */
    static final class Cancellation {
        private volatile Statement current;
        private volatile boolean cancelled;

        void register(Statement statement) throws SQLException {
            current = statement;
            if (cancelled) {
                statement.cancel();
            }
        }

        void cancel() {
            cancelled = true;
            Statement s = current;
            if (s != null) {
                try {
                    s.cancel();
                } catch (SQLException e) {
                    // the statement is already done
                }
            }
        }

        boolean cancelled() {
            return cancelled;
        }
    }

    private static final String QUERY_CANCELED = "57014";

    private final ExecutorService executor;
    private final Duration timeout;

    StatementRunner(Duration timeout) {
        this.timeout = timeout;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "data-api-sql-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    <T> T run(Databases.Lease lease, boolean continueAfterTimeout, boolean injectTimeout, boolean inTransaction,
              Work<T> work, Runnable whenDone) {
        Cancellation cancellation = new Cancellation();
        Future<T> future;
        try {
            future = executor.submit(() -> {
                try {
                    if (injectTimeout) {
                        simulateTimeout(lease.connection(), inTransaction, cancellation);
                    }
                    return work.run(lease.connection(), cancellation);
                } finally {
                    whenDone.run();
                }
            });
        } catch (RejectedExecutionException e) {
            whenDone.run();
            throw DataApiException.databaseUnavailable();
        }
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (continueAfterTimeout) {
                throw DataApiException.statementTimeoutContinuing(lease.backendPid());
            }
            cancellation.cancel();
            try {
                future.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException ignored) {
                // the cancelled statement's error is the expected outcome
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw DataApiException.statementTimeout(lease.backendPid());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DataApiException d) {
                throw d;
            }
            if (cause instanceof SQLException sql) {
                if (QUERY_CANCELED.equals(sql.getSQLState())) {
                    throw DataApiException.statementTimeout(lease.backendPid());
                }
                throw DataApiException.database(sql);
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancellation.cancel();
            throw DataApiException.databaseUnavailable();
        }
    }

    /** An injected timeout is a real one: the statement is cancelled by a 1 ms statement_timeout. */
    private static void simulateTimeout(Connection connection, boolean inTransaction, Cancellation cancellation)
            throws SQLException {
        try (Statement s = connection.createStatement()) {
            cancellation.register(s);
            s.execute(inTransaction ? "SET LOCAL statement_timeout = 1" : "SET statement_timeout = 1");
            s.execute("SELECT pg_sleep(5)");
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
