package dev.approvals.wiring;

import dev.approvals.store.DatabaseTarget;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;

import static dev.approvals.wiring.EnvironmentVariables.AWS_REGION;
import static dev.approvals.wiring.EnvironmentVariables.DATA_API_ENDPOINT;
import static dev.approvals.wiring.EnvironmentVariables.DB_CLUSTER_ARN;
import static dev.approvals.wiring.EnvironmentVariables.DB_NAME;
import static dev.approvals.wiring.EnvironmentVariables.DB_SECRET_ARN;

/**
 * What every function needs, read once at init from environment variables and validated there, so a misconfigured
 * function fails its init with a message naming the variable instead of failing requests. Each function reads its
 * own variables on top ({@link DecisionConfig}, {@link ReadConfig}, {@link ProposeConfig},
 * {@link WorkflowConfig}), so each reads only
 * what its template entry declares.
 *
 * @param dataApiEndpoint empty on AWS; the local emulator's URL when running locally
 */
public record FunctionConfig(DatabaseTarget database, Region region, Optional<URI> dataApiEndpoint) {

    /** The AWS SDK's own endpoint variables ({@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_RDS_DATA}, ...). */
    private static final String SDK_ENDPOINT_PREFIX = "AWS_ENDPOINT_URL";

    public static FunctionConfig fromEnvironment(Map<String, String> env) {
        // The SDK would follow these on its own: they obey the same rule as the project's endpoint overrides.
        for (Map.Entry<String, String> variable : env.entrySet()) {
            String value = variable.getValue();
            if (variable.getKey().startsWith(SDK_ENDPOINT_PREFIX) && value != null && !value.isBlank()) {
                endpoint(variable.getKey(), value.strip());
            }
        }
        String clusterArn = required(env, DB_CLUSTER_ARN, "the ARN of the Aurora cluster");
        String secretArn = required(env, DB_SECRET_ARN, "the ARN of the database secret");
        requireArn(DB_CLUSTER_ARN, clusterArn, ":rds:");
        requireArn(DB_SECRET_ARN, secretArn, ":secretsmanager:");
        return new FunctionConfig(
                new DatabaseTarget(clusterArn, secretArn, required(env, DB_NAME, "the database name")),
                Region.of(required(env, AWS_REGION, "the AWS region (Lambda sets it)")),
                optionalEndpoint(env, DATA_API_ENDPOINT));
    }

    static String required(Map<String, String> env, String name, String meaning) {
        Optional<String> value = optional(env, name);
        if (value.isEmpty()) {
            throw new InvalidConfigurationException(
                    "Environment variable " + name + " is not set; it must hold " + meaning);
        }
        return value.get();
    }

    static Optional<String> optional(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** An endpoint override ({@link #endpoint}) if the variable is set. */
    static Optional<URI> optionalEndpoint(Map<String, String> env, String name) {
        Optional<String> url = optional(env, name);
        return url.isEmpty() ? Optional.empty() : Optional.of(endpoint(name, url.get()));
    }

    private static void requireArn(String name, String value, String service) {
        if (!value.startsWith("arn:") || !value.contains(service)) {
            throw new InvalidConfigurationException(
                    "Environment variable " + name + " must be an ARN containing '" + service + "'");
        }
    }

    /**
     * An endpoint override: {@code https://} anywhere, plain {@code http://} only on loopback (the local stack), so a
     * misconfiguration never sends signed requests, statements and their results in clear over a network.
     */
    static URI endpoint(String name, String value) {
        URI uri;
        try {
            uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(value, "not an http(s) URL with a host");
            }
        } catch (URISyntaxException e) {
            throw new InvalidConfigurationException(
                    "Environment variable " + name + " must be an http(s) URL, e.g. http://127.0.0.1:8450");
        }
        if ("http".equals(uri.getScheme()) && !isLoopback(uri.getHost())) {
            throw new InvalidConfigurationException("Environment variable " + name
                    + " must be an https:// URL, or http:// on loopback (127.0.0.1, localhost, [::1])");
        }
        return uri;
    }

    /** Loopback by name, without a DNS lookup (a name could resolve elsewhere later). */
    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("[::1]") || host.equals("::1")
                || host.matches("127(\\.[0-9]{1,3}){3}");
    }
}
