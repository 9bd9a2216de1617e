package dev.approvals.store;

import java.util.Objects;

/** Which Aurora cluster, credentials and database the Data API calls address. */
public record DatabaseTarget(String clusterArn, String secretArn, String database) {

    public DatabaseTarget {
        Objects.requireNonNull(clusterArn, "clusterArn");
        Objects.requireNonNull(secretArn, "secretArn");
        Objects.requireNonNull(database, "database");
    }
}
