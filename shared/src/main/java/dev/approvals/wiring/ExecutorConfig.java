package dev.approvals.wiring;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;

import static dev.approvals.wiring.EnvironmentVariables.ACTION_WEBHOOK_URL;

/**
 * The executor's configuration.
 *
 * @param webhook empty: the action only logs; otherwise https (http only to a loopback address, for local runs)
 */
public record ExecutorConfig(FunctionConfig function, Optional<URI> webhook) {

    /** @throws InvalidConfigurationException naming the first variable that is missing or wrong */
    public static ExecutorConfig fromEnvironment(Map<String, String> env) {
        return new ExecutorConfig(FunctionConfig.fromEnvironment(env),
                FunctionConfig.optional(env, ACTION_WEBHOOK_URL).map(ExecutorConfig::webhook));
    }

    private static URI webhook(String value) {
        URI uri = FunctionConfig.endpoint(ACTION_WEBHOOK_URL, value);
        if (uri.getUserInfo() != null || !("https".equals(uri.getScheme()) || loopback(uri.getHost()))) {
            throw new InvalidConfigurationException("Environment variable " + ACTION_WEBHOOK_URL
                    + " must be an https URL without credentials (plain http only to 127.0.0.1 or localhost)");
        }
        return uri;
    }

    private static boolean loopback(String host) {
        if ("localhost".equals(host)) {
            return true;
        }
        try {
            // Literal addresses only: nothing is resolved at init.
            return host.matches("[0-9.]+|\\[[0-9a-fA-F:]+]") && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
