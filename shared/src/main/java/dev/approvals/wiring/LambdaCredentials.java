package dev.approvals.wiring;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;

import java.util.function.UnaryOperator;

/**
 * The two places Lambda puts a function's credentials, and no other: the key variables of an on-demand
 * environment, else the container credentials endpoint, which is all a SnapStart environment has after restore.
 * The SDK's default chain would build and try six providers (system properties, web identity, profile files,
 * instance metadata...) on the first call, loading some 36 classes more on every cold start.
 *
 * <p>Decided on each resolution, not at init: a snapshot is taken in one environment and restored in another. The
 * container provider (which caches and refreshes its credentials) is built only when first needed.
 */
final class LambdaCredentials implements AwsCredentialsProvider {

    private final UnaryOperator<String> environment;
    private volatile AwsCredentialsProvider container;

    LambdaCredentials() {
        // Looked up on every resolution (a SnapStart restore changes what is set), through the environment map as
        // every other reader does, so the deployment contract sees which variables are read.
        this(name -> System.getenv().get(name));
    }

    LambdaCredentials(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    @Override
    public AwsCredentials resolveCredentials() {
        String keyId = environment.apply(EnvironmentVariables.AWS_ACCESS_KEY_ID);
        String secret = environment.apply(EnvironmentVariables.AWS_SECRET_ACCESS_KEY);
        if (keyId != null && !keyId.isBlank() && secret != null && !secret.isBlank()) {
            String session = environment.apply(EnvironmentVariables.AWS_SESSION_TOKEN);
            return session == null || session.isBlank()
                    ? AwsBasicCredentials.create(keyId, secret)
                    : AwsSessionCredentials.create(keyId, secret, session);
        }
        return container().resolveCredentials();
    }

    private AwsCredentialsProvider container() {
        AwsCredentialsProvider built = container;
        if (built == null) {
            synchronized (this) {
                built = container;
                if (built == null) {
                    built = ContainerCredentialsProvider.builder().build();
                    container = built;
                }
            }
        }
        return built;
    }

    @Override
    public String toString() {
        return "LambdaCredentials(environment, then container endpoint)";
    }
}
