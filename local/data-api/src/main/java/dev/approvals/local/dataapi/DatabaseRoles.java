package dev.approvals.local.dataapi;

import dev.approvals.migrator.RolePasswords;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The database roles of {@code db/migrations} on a local Data API, set up the way the deployed stack sets them up:
 * one secret per role naming that role's user (the local Data API then connects as that user, as Aurora's does),
 * and each role's password set through the Data API by {@link RolePasswords}, as the migration custom resource
 * sets it. A forbidden statement then fails with PostgreSQL's own {@code permission denied} (SQLState 42501).
 *
 * <p>Roles belong to the server, and tests and stacks share one server across many databases and emulators, so a
 * role's local password is derived from the server's admin password: every emulator over the same server sets and
 * uses the same one, and setting it again changes nothing.
 */
public final class DatabaseRoles {

    public static final String READER = "approvals_reader";
    public static final String PROPOSER = "approvals_proposer";
    public static final String APPROVER = "approvals_approver";
    public static final String REJECTER = "approvals_rejecter";
    public static final String WORKFLOW = "approvals_workflow";
    /** The outbox function's: reads and marks the event outbox (db/migrations/V7). */
    public static final String PUBLISHER = "approvals_publisher";
    /** The executor's: confirms an approval and records its one execution (db/migrations/V7). */
    public static final String EXECUTOR = "approvals_executor";
    /** Every role the migrations create. */
    public static final List<String> ALL = List.of(READER, PROPOSER, APPROVER, REJECTER, WORKFLOW, PUBLISHER,
            EXECUTOR);

    private DatabaseRoles() {
    }

    /**
     * Registers {@code secretArn} as the secret of {@code role} and sets the role's password, through {@code api},
     * in {@code database} (any database the migrations have been applied to).
     */
    public static void register(LocalDataApi api, String database, Map<String, String> rolesBySecretArn) {
        Map<String, String> passwords = new LinkedHashMap<>();
        rolesBySecretArn.forEach((secretArn, role) -> {
            String password = password(api, role);
            api.registerSecret(secretArn, role, password);
            passwords.put(role, password);
        });
        try (RdsDataClient client = api.newClient()) {
            new RolePasswords(client, api.clusterArn(), api.secretArn(), database).set(passwords);
        }
    }

    /**
     * Registers one secret per role ({@link #secretArn}) and sets every role's password.
     *
     * @return secret ARN by role
     */
    public static Map<String, String> registerAll(LocalDataApi api, String database) {
        Map<String, String> arnsByRole = new LinkedHashMap<>();
        Map<String, String> rolesByArn = new LinkedHashMap<>();
        for (String role : ALL) {
            arnsByRole.put(role, secretArn(api, role));
            rolesByArn.put(secretArn(api, role), role);
        }
        register(api, database, rolesByArn);
        return arnsByRole;
    }

    /** The local secret of {@code role}: {@code arn:aws:secretsmanager:<region>:<account>:secret:<role>-local}. */
    public static String secretArn(LocalDataApi api, String role) {
        String master = api.secretArn();
        return master.substring(0, master.lastIndexOf(":secret:") + ":secret:".length()) + role + "-local";
    }

    /** The role's password on this emulator's server (printable ASCII). */
    public static String password(LocalDataApi api, String role) {
        Objects.requireNonNull(role, "role");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            String key = Objects.toString(api.postgres().adminPassword(), "") + "@" + api.postgres().adminUser();
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(("approvals local role " + role).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK lacks HmacSHA256", e);
        }
    }
}
