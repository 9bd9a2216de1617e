package dev.approvals.local.stack;

import dev.approvals.local.dataapi.DatabaseRoles;
import dev.approvals.local.dataapi.LocalDataApi;
import dev.approvals.local.template.Resource;
import dev.approvals.local.template.SamTemplate;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The template's Secrets Manager secrets, on this machine, as the deployed stack has them:
 * <ul>
 *     <li>the cluster's master secret is the local Data API's admin secret;</li>
 *     <li>a secret whose {@code SecretStringTemplate} names a {@code username} is a database role's: it is registered
 *     with the local Data API (which then connects as that user, as Aurora's does) and the role's password is set
 *     through the Data API the way the migration custom resource sets it;</li>
 *     <li>any other generated secret (the cursor signing key) gets a random value, which CloudFormation dynamic
 *     references ({@code {{resolve:secretsmanager:<arn>}}}) in function environments resolve to.</li>
 * </ul>
 */
final class TemplateSecrets {

    static final String SECRET_TYPE = "AWS::SecretsManager::Secret";
    private static final Pattern DYNAMIC_REFERENCE = Pattern.compile("\\{\\{resolve:secretsmanager:([^}]+)}}");
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> arnsById = new LinkedHashMap<>();
    private final Map<String, String> rolesByArn = new LinkedHashMap<>();
    private final Map<String, String> valuesByArn = new LinkedHashMap<>();

    private TemplateSecrets() {
    }

    /** Registers every secret of {@code template} with {@code dataApi}; role passwords set in {@code database}. */
    static TemplateSecrets register(SamTemplate template, LocalDataApi dataApi, String database) {
        TemplateSecrets secrets = new TemplateSecrets();
        String master = masterSecret(template);
        String prefix = dataApi.secretArn().substring(0, dataApi.secretArn().lastIndexOf(":secret:") + 8);
        for (Resource resource : template.resources().values()) {
            if (!SECRET_TYPE.equals(resource.type())) {
                continue;
            }
            String id = resource.logicalId();
            if (id.equals(master)) {
                secrets.arnsById.put(id, dataApi.secretArn());
                continue;
            }
            String arn = prefix + id + "-local";
            secrets.arnsById.put(id, arn);
            Object generate = resource.properties().get("GenerateSecretString");
            String user = generate instanceof Map<?, ?> map && map.get("SecretStringTemplate") instanceof String json
                    ? username(json) : null;
            if (user != null) {
                secrets.rolesByArn.put(arn, user);
            } else {
                int length = generate instanceof Map<?, ?> map && map.get("PasswordLength") instanceof Number n
                        ? n.intValue() : 32;
                secrets.valuesByArn.put(arn, randomText(length));
            }
        }
        DatabaseRoles.register(dataApi, database, secrets.rolesByArn);
        return secrets;
    }

    /** The local ARN of a secret resource ({@code !Ref <Secret>}). */
    String arn(String logicalId) {
        return arnsById.get(logicalId);
    }

    /** Database role by secret ARN, for the banner. */
    Map<String, String> roles() {
        return Map.copyOf(rolesByArn);
    }

    /**
     * {@code value} with each dynamic reference to a local secret ({@code {{resolve:secretsmanager:<arn>}}}, the
     * whole secret string) replaced by the secret's value, as CloudFormation resolves it at deploy.
     */
    String resolveDynamicReferences(String value) {
        Matcher m = DYNAMIC_REFERENCE.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (m.find()) {
            String secret = valuesByArn.get(m.group(1));
            if (secret == null) {
                throw new IllegalStateException("A dynamic reference names " + m.group(1)
                        + ", which is not a whole generated secret of the template; only those resolve locally");
            }
            m.appendReplacement(resolved, Matcher.quoteReplacement(secret));
        }
        m.appendTail(resolved);
        return resolved.toString();
    }

    /** The secret a cluster takes its master credentials from ({@code {{resolve:secretsmanager:${Secret}...}}}). */
    private static String masterSecret(SamTemplate template) {
        for (Resource resource : template.resources().values()) {
            if ("AWS::RDS::DBCluster".equals(resource.type())
                    && resource.properties().get("MasterUserPassword") instanceof Map<?, ?> sub) {
                Matcher m = SUB_VARIABLE.matcher(String.valueOf(sub.get("Fn::Sub")));
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        return null;
    }

    private static String username(String secretStringTemplate) {
        try {
            var user = new ObjectMapper().readTree(secretStringTemplate).path("username");
            return user.isTextual() ? user.asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return text.toString();
    }
}
