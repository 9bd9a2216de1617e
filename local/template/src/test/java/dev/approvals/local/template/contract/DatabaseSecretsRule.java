package dev.approvals.local.template.contract;

import dev.approvals.local.template.Resource;
import dev.approvals.local.template.SamFunction;
import dev.approvals.local.template.SamTemplate;
import org.yaml.snakeyaml.Yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Least privilege in the database, as the template wires it (docs/design.md §7): every function and state machine
 * that reaches the Data API does so with a secret of its own ({@code DB_SECRET_ARN}, or the state machine's
 * {@code DatabaseSecretArn} substitution), never the cluster's master secret; each such secret names a database
 * role the packaged migrations create; each caller may read exactly its own secret through IAM; and the schema
 * migration sets the password of exactly those roles ({@code RoleSecretArns}) and may read exactly those secrets
 * and the master one.
 */
final class DatabaseSecretsRule {

    static final String SECRET_TYPE = "AWS::SecretsManager::Secret";
    static final String FUNCTION_SECRET_VARIABLE = "DB_SECRET_ARN";
    static final String STATE_MACHINE_SECRET_SUBSTITUTION = "DatabaseSecretArn";
    static final String MIGRATION_TYPE = "Custom::SchemaMigration";
    private static final String READ_SECRET = "secretsmanager:GetSecretValue";
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");
    private static final Pattern DO_BLOCK = Pattern.compile("(?s)DO \\$\\$(.*?)\\$\\$");
    private static final Pattern QUOTED_NAME = Pattern.compile("'([a-z_][a-z0-9_]*)'");
    private static final Pattern PLAIN_CREATE_ROLE = Pattern.compile("(?i)CREATE ROLE\\s+([a-z_][a-z0-9_]*)");

    private final SamTemplate template;
    private final TemplateContract contract;
    private final List<FunctionArtifact> artifacts;

    DatabaseSecretsRule(SamTemplate template, TemplateContract contract, List<FunctionArtifact> artifacts) {
        this.template = template;
        this.contract = contract;
        this.artifacts = artifacts;
    }

    List<String> violations() {
        List<String> violations = new ArrayList<>();
        Set<String> masters = masterSecrets();
        Set<String> roles = rolesTheMigrationsCreate();
        Map<String, String> callerBySecret = new LinkedHashMap<>();
        for (Map.Entry<String, Object> caller : callers().entrySet()) {
            String id = caller.getKey();
            Optional<String> secret = secretRef(caller.getValue());
            if (secret.isEmpty()) {
                violations.add(id + ": its database secret must be !Ref to an " + SECRET_TYPE + " of this template");
                continue;
            }
            if (masters.contains(secret.get())) {
                violations.add(id + ": uses " + secret.get() + ", the cluster's master secret; give it a secret of"
                        + " its own database role");
            }
            String other = callerBySecret.putIfAbsent(secret.get(), id);
            if (other != null) {
                violations.add(other + " and " + id + " share the database secret " + secret.get()
                        + "; each needs a role of its own");
            }
            Optional<String> user = username(secret.get());
            if (user.isEmpty() && !masters.contains(secret.get())) {
                violations.add(secret.get() + ": names no username in GenerateSecretString.SecretStringTemplate");
            } else if (user.isPresent() && !masters.contains(secret.get()) && !roles.contains(user.get())) {
                violations.add(secret.get() + ": names the user " + user.get()
                        + ", which no packaged migration creates (roles: " + roles + ")");
            }
            Set<String> readable = secretsReadableBy(id);
            if (!readable.equals(Set.of(secret.get()))) {
                violations.add(id + ": may read the secrets " + readable + " through IAM; it needs exactly its own, "
                        + secret.get());
            }
        }
        violations.addAll(migrations(masters, new TreeSet<>(callerBySecret.keySet())));
        return violations;
    }

    /** The schema migration sets the passwords of exactly the callers' roles, and may read exactly those secrets. */
    private List<String> migrations(Set<String> masters, Set<String> callerSecrets) {
        List<String> violations = new ArrayList<>();
        for (Resource migration : template.resources().values()) {
            if (!MIGRATION_TYPE.equals(migration.type())) {
                continue;
            }
            Set<String> named = new TreeSet<>();
            Object list = migration.properties().get("RoleSecretArns");
            for (Object item : list instanceof List<?> items ? items : List.of()) {
                secretRef(item).ifPresentOrElse(named::add, () -> violations.add(migration.logicalId()
                        + ": RoleSecretArns holds " + item + ", not !Ref to a secret of this template"));
            }
            for (String secret : callerSecrets) {
                if (!named.contains(secret)) {
                    violations.add(migration.logicalId() + ": RoleSecretArns lacks " + secret
                            + ", so the password of its role would never be set");
                }
            }
            for (String secret : named) {
                if (!callerSecrets.contains(secret)) {
                    violations.add(migration.logicalId() + ": RoleSecretArns names " + secret
                            + ", which no function or state machine uses");
                }
            }
            serviceFunction(migration).ifPresent(function -> {
                Set<String> expected = new TreeSet<>(named);
                expected.addAll(masters);
                Set<String> readable = secretsReadableBy(function);
                if (!readable.equals(expected)) {
                    violations.add(function + ": may read the secrets " + readable + " through IAM; the migration"
                            + " needs exactly the master secret and the role secrets, " + expected);
                }
            });
        }
        return violations;
    }

    /** Function or state machine id to the value of its database secret setting. */
    private Map<String, Object> callers() {
        Map<String, Object> callers = new LinkedHashMap<>();
        for (SamFunction function : template.functions()) {
            Object secret = function.environment().get(FUNCTION_SECRET_VARIABLE);
            if (secret != null) {
                callers.put(function.logicalId(), secret);
            }
        }
        for (Resource machine : contract.stateMachineResources()) {
            Object substitutions = machine.properties().get("DefinitionSubstitutions");
            if (substitutions instanceof Map<?, ?> map && map.containsKey(STATE_MACHINE_SECRET_SUBSTITUTION)) {
                callers.put(machine.logicalId(), map.get(STATE_MACHINE_SECRET_SUBSTITUTION));
            }
        }
        return callers;
    }

    /**
     * The secrets a cluster takes its master credentials from ({@code {{resolve:secretsmanager:${Secret}...}}}), and
     * the clusters that keep them in a secret RDS manages ({@code ManageMasterUserPassword}; named by the cluster).
     */
    private Set<String> masterSecrets() {
        Set<String> masters = new TreeSet<>();
        for (Resource resource : template.resources().values()) {
            if (!"AWS::RDS::DBCluster".equals(resource.type())) {
                continue;
            }
            contract.managedMasterSecret(Map.of("Fn::GetAtt", List.of(resource.logicalId(),
                    TemplateContract.MANAGED_MASTER_SECRET.getFirst()))).ifPresent(masters::add);
            for (String property : List.of("MasterUsername", "MasterUserPassword")) {
                Object value = resource.properties().get(property);
                String text = value instanceof Map<?, ?> sub ? String.valueOf(sub.get("Fn::Sub")) : String.valueOf(value);
                Matcher m = SUB_VARIABLE.matcher(text);
                while (m.find()) {
                    template.resource(m.group(1)).filter(r -> SECRET_TYPE.equals(r.type()))
                            .ifPresent(r -> masters.add(r.logicalId()));
                }
            }
        }
        return masters;
    }

    /** Roles the migrations packaged in a function create: {@code CREATE ROLE name}, or names a role-creating DO block loops over. */
    private Set<String> rolesTheMigrationsCreate() {
        Set<String> roles = new TreeSet<>();
        for (FunctionArtifact artifact : artifacts) {
            for (String sql : artifact.resourceTexts("db/migrations")) {
                Matcher plain = PLAIN_CREATE_ROLE.matcher(sql);
                while (plain.find()) {
                    roles.add(plain.group(1).toLowerCase(java.util.Locale.ROOT));
                }
                Matcher block = DO_BLOCK.matcher(sql);
                while (block.find()) {
                    if (block.group(1).contains("CREATE ROLE")) {
                        Matcher names = QUOTED_NAME.matcher(block.group(1));
                        while (names.find()) {
                            roles.add(names.group(1));
                        }
                    }
                }
            }
        }
        return roles;
    }

    private Optional<String> username(String secretId) {
        Object generate = template.resource(secretId).map(r -> r.properties().get("GenerateSecretString")).orElse(null);
        if (generate instanceof Map<?, ?> map && map.get("SecretStringTemplate") instanceof String json
                && new Yaml().load(json) instanceof Map<?, ?> fields && fields.get("username") instanceof String user) {
            return Optional.of(user);
        }
        return Optional.empty();
    }

    private Optional<String> secretRef(Object value) {
        Optional<String> managed = contract.managedMasterSecret(value);
        if (managed.isPresent()) {
            return managed;
        }
        if (value instanceof Map<?, ?> ref && ref.size() == 1 && ref.get("Ref") instanceof String id) {
            return template.resource(id).filter(r -> SECRET_TYPE.equals(r.type())).map(Resource::logicalId);
        }
        return Optional.empty();
    }

    /** The secrets a function or state machine is granted {@code secretsmanager:GetSecretValue} on. */
    private Set<String> secretsReadableBy(String id) {
        TemplateContract.Grants grants = template.functions().stream().anyMatch(f -> f.logicalId().equals(id))
                ? contract.grants(template.function(id))
                : contract.grants(template.resource(id).orElseThrow());
        Set<String> readable = new TreeSet<>();
        for (TemplateContract.Grant grant : grants.grants()) {
            if (grant.action().equalsIgnoreCase(READ_SECRET)) {
                grant.resources().forEach(resource -> readable.addAll(contract.scope(resource).resourceIds()));
            }
        }
        return readable;
    }

    /** The function behind a custom resource's ServiceToken ({@code !Ref Function.Alias} or {@code !GetAtt Function.Arn}). */
    private Optional<String> serviceFunction(Resource customResource) {
        Set<String> ids = contract.scope(customResource.properties().get("ServiceToken")).resourceIds();
        return ids.stream().filter(id -> template.functions().stream().anyMatch(f -> f.logicalId().equals(id)))
                .findFirst();
    }
}
