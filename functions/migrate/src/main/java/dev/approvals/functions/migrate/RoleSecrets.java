package dev.approvals.functions.migrate;

import com.fasterxml.jackson.jr.ob.JSON;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The database roles' generated credentials, read from their Secrets Manager secrets
 * ({@code {"username": "approvals_reader", "password": "..."}}), as the Data API itself reads them.
 */
final class RoleSecrets {

    private RoleSecrets() {
    }

    /**
     * @return password by role name, in the order of {@code secretArns}
     * @throws IllegalStateException naming the secret (never its value) when one cannot be read or is malformed
     */
    static Map<String, String> read(SecretsManagerClient secrets, List<String> secretArns) {
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String arn : secretArns) {
            String text;
            try {
                text = secrets.getSecretValue(b -> b.secretId(arn)).secretString();
            } catch (SdkException e) {
                throw new IllegalStateException("Cannot read the role secret " + arn + ": " + e.getMessage(), e);
            }
            Map<String, Object> fields;
            try {
                fields = text == null ? null : JSON.std.mapFrom(text);
            } catch (IOException e) {
                fields = null;
            }
            if (fields == null || !(fields.get("username") instanceof String user) || user.isBlank()
                    || !(fields.get("password") instanceof String password) || password.isEmpty()) {
                throw new IllegalStateException("The role secret " + arn + " must be JSON with a username and a password");
            }
            passwords.put(user, password);
        }
        return passwords;
    }
}
