package dev.approvals.local.dataapi.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps cluster ARNs to the database server's default database, and secret ARNs to credentials, as the Data API
 * resolves {@code resourceArn} and {@code secretArn}. An unknown cluster answers
 * {@code HttpEndpointNotEnabledException}; an unknown secret, {@code SecretsErrorException}.
 */
public final class Registry {

    /** A cluster whose HTTP endpoint is enabled. */
    public record Cluster(String arn, String defaultDatabase) {
    }

    private final Map<String, Cluster> clusters = new ConcurrentHashMap<>();
    private final Map<String, Databases.Credentials> secrets = new ConcurrentHashMap<>();

    public void addCluster(String arn, String defaultDatabase) {
        clusters.put(arn, new Cluster(arn, defaultDatabase));
    }

    /** Removes a cluster: calls naming it then fail as if its HTTP endpoint were disabled. */
    public void removeCluster(String arn) {
        clusters.remove(arn);
    }

    public void addSecret(String arn, Databases.Credentials credentials) {
        secrets.put(arn, credentials);
    }

    public Cluster cluster(String arn) {
        Cluster cluster = clusters.get(arn);
        if (cluster == null) {
            String id = arn.substring(arn.lastIndexOf(':') + 1);
            throw new DataApiException(ErrorType.HttpEndpointNotEnabledException,
                    "HttpEndpoint is not enabled for cluster " + id);
        }
        return cluster;
    }

    public Databases.Credentials secret(String arn) {
        Databases.Credentials credentials = secrets.get(arn);
        if (credentials == null) {
            throw new DataApiException(ErrorType.SecretsErrorException,
                    "Secrets Manager can't find the specified secret. (" + arn + ")");
        }
        return credentials;
    }
}
