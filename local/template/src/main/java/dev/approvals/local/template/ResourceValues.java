package dev.approvals.local.template;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What {@code Ref} and {@code Fn::GetAtt} of a resource mean where the template is run, e.g. locally: a value per
 * logical id, or per resource type for every resource of that type (so the local stack can say "every
 * {@code AWS::RDS::DBCluster} is the emulator's cluster ARN"). A logical-id value wins over a type value.
 *
 * <pre>{@code
 * ResourceValues values = ResourceValues.builder()
 *         .attributeOfType("AWS::RDS::DBCluster", "DBClusterArn", id -> dataApi.clusterArn())
 *         .refOfType("AWS::SecretsManager::Secret", id -> dataApi.secretArn())
 *         .ref("ApprovalsApi", "local")
 *         .build();
 * }</pre>
 */
public final class ResourceValues {

    private final Map<String, Object> refById;
    private final Map<String, Object> attributeById;
    private final Map<String, Function<String, Object>> refByType;
    private final Map<String, Function<String, Object>> attributeByType;

    private ResourceValues(Builder builder) {
        this.refById = Map.copyOf(builder.refById);
        this.attributeById = Map.copyOf(builder.attributeById);
        this.refByType = Map.copyOf(builder.refByType);
        this.attributeByType = Map.copyOf(builder.attributeByType);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** No resource values: every resource reference fails with a message naming it. */
    public static ResourceValues none() {
        return builder().build();
    }

    /**
     * {@code Ref} of a logical id; {@code resource} is null for ids the template does not declare itself, such as
     * SAM's generated {@code MyFunction.Alias}.
     */
    Object ref(String logicalId, Resource resource) {
        Object value = refById.get(logicalId);
        if (value == null && resource != null && refByType.containsKey(resource.type())) {
            value = refByType.get(resource.type()).apply(logicalId);
        }
        if (value == null) {
            throw new UnresolvedReferenceException("No local value for Ref " + logicalId + typeOf(resource)
                    + ": give ResourceValues one (ref or refOfType)");
        }
        return value;
    }

    Object getAtt(String logicalId, String attribute, Resource resource) {
        Object value = attributeById.get(logicalId + "." + attribute);
        if (value == null && resource != null && attributeByType.containsKey(resource.type() + "." + attribute)) {
            value = attributeByType.get(resource.type() + "." + attribute).apply(logicalId);
        }
        if (value == null) {
            throw new UnresolvedReferenceException("No local value for Fn::GetAtt " + logicalId + "." + attribute
                    + typeOf(resource) + ": give ResourceValues one (attribute or attributeOfType)");
        }
        return value;
    }

    private static String typeOf(Resource resource) {
        return resource == null ? "" : " (" + resource.type() + ")";
    }

    public static final class Builder {
        private final Map<String, Object> refById = new HashMap<>();
        private final Map<String, Object> attributeById = new HashMap<>();
        private final Map<String, Function<String, Object>> refByType = new HashMap<>();
        private final Map<String, Function<String, Object>> attributeByType = new HashMap<>();

        private Builder() {
        }

        /** {@code Ref logicalId} is {@code value}. */
        public Builder ref(String logicalId, Object value) {
            refById.put(logicalId, value);
            return this;
        }

        /** {@code Fn::GetAtt logicalId.attribute} is {@code value}. */
        public Builder attribute(String logicalId, String attribute, Object value) {
            attributeById.put(logicalId + "." + attribute, value);
            return this;
        }

        /** {@code Ref} of any resource of {@code type} is {@code value.apply(logicalId)}. */
        public Builder refOfType(String type, Function<String, Object> value) {
            refByType.put(type, value);
            return this;
        }

        /** {@code Fn::GetAtt} of {@code attribute} of any resource of {@code type} is {@code value.apply(logicalId)}. */
        public Builder attributeOfType(String type, String attribute, Function<String, Object> value) {
            attributeByType.put(type + "." + attribute, value);
            return this;
        }

        public ResourceValues build() {
            return new ResourceValues(this);
        }
    }
}
