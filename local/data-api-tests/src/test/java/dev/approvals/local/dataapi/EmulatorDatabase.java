package dev.approvals.local.dataapi;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;

/**
 * What the emulator tests start from: the shared emulator, an SDK client as applications configure it, one that
 * never retries (to see the first answer), and a fresh database holding the test class's tables.
 */
record EmulatorDatabase(LocalDataApi api, RdsDataClient client, RdsDataClient noRetries, String db)
        implements AutoCloseable {

    /** A new database named after {@code name}, after running {@code statements} in it over JDBC. */
    static EmulatorDatabase create(String name, String... statements) {
        LocalDataApi api = LocalDataApi.shared();
        String db = api.createDatabase(name);
        Sql.jdbc(api, db, statements);
        return new EmulatorDatabase(api, api.newClient(),
                api.newClient(b -> b.overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))),
                db);
    }

    @Override
    public void close() {
        client.close();
        noRetries.close();
    }
}
