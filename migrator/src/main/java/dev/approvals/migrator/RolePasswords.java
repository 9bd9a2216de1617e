package dev.approvals.migrator;

import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sets the passwords of the database roles that {@code db/migrations} creates, through the Data API as the
 * migrating (master) user: one {@code SELECT approvals_set_role_password(:role, :verifier)} per role, with the
 * SCRAM verifier computed here, so neither the plain password nor any SQL built from it is ever sent. The
 * database function refuses role names it does not know. Used by the migration custom resource (passwords from
 * each role's Secrets Manager secret) and by the local stack (passwords of its local secrets).
 */
public final class RolePasswords {

    static final String SET_PASSWORD_SQL = "SELECT approvals_set_role_password(:role, :verifier) AS role_name";

    private final RdsDataClient client;
    private final String resourceArn;
    private final String secretArn;
    private final String database;

    /** @param secretArn the master secret's ARN: only its user may call the function */
    public RolePasswords(RdsDataClient client, String resourceArn, String secretArn, String database) {
        this.client = Objects.requireNonNull(client, "client");
        this.resourceArn = Objects.requireNonNull(resourceArn, "resourceArn");
        this.secretArn = Objects.requireNonNull(secretArn, "secretArn");
        this.database = database;
    }

    /**
     * Sets each role's password ({@code role -> password}).
     *
     * @return the roles set, in the map's order
     */
    public List<String> set(Map<String, String> passwordsByRole) {
        return passwordsByRole.entrySet().stream().map(entry -> {
            String verifier = ScramVerifier.of(entry.getValue());
            return client.executeStatement(b -> b.resourceArn(resourceArn).secretArn(secretArn).database(database)
                            .sql(SET_PASSWORD_SQL)
                            .parameters(text("role", entry.getKey()), text("verifier", verifier)))
                    .records().getFirst().getFirst().stringValue();
        }).toList();
    }

    private static SqlParameter text(String name, String value) {
        return SqlParameter.builder().name(name).value(Field.builder().stringValue(value).build()).build();
    }
}
