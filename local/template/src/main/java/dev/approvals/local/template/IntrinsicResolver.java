package dev.approvals.local.template;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates CloudFormation intrinsic functions with values chosen by the caller, so a template can be run where
 * CloudFormation is not: parameters (given values, else the template's defaults), pseudo parameters
 * ({@code AWS::Region} and friends, with local defaults), resources ({@link ResourceValues}), conditions, mappings
 * and exports.
 *
 * <p>Supported: {@code Ref}, {@code Condition}, {@code Fn::GetAtt}, {@code Fn::Sub}, {@code Fn::Join},
 * {@code Fn::If}, {@code Fn::Equals}, {@code Fn::And}, {@code Fn::Or}, {@code Fn::Not}, {@code Fn::Select},
 * {@code Fn::Split}, {@code Fn::FindInMap}, {@code Fn::ImportValue}, {@code Fn::Base64}, {@code Fn::Cidr}
 * (IPv4), {@code Fn::GetAZs}, and {@code AWS::NoValue} (the entry disappears). Anything else fails with a
 * message naming it.
 *
 * <pre>{@code
 * IntrinsicResolver resolver = IntrinsicResolver.forTemplate(template)
 *         .pseudoParameter("AWS::Region", "eu-west-1")
 *         .parameter("JwtIssuer", "http://127.0.0.1:9000")
 *         .resources(values)
 *         .build();
 * Map<String, String> environment = resolver.environment(template.function("ApproveFunction"));
 * }</pre>
 */
public final class IntrinsicResolver {

    /** Stands for AWS::NoValue while resolving: removed from the enclosing map or list. */
    private static final Object NO_VALUE = new Object();
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private final SamTemplate template;
    private final Map<String, String> parameterValues;
    private final Map<String, Object> pseudoParameters;
    private final List<String> availabilityZones;
    private final Map<String, Object> imports;
    private final ResourceValues resources;
    private final Map<String, Boolean> conditionValues = new HashMap<>();
    private final Set<String> conditionsInProgress = new HashSet<>();

    private IntrinsicResolver(Builder builder) {
        this.template = builder.template;
        this.parameterValues = Map.copyOf(builder.parameters);
        Map<String, Object> pseudo = new HashMap<>(builder.pseudoParameters);
        String region = String.valueOf(pseudo.get("AWS::Region"));
        pseudo.putIfAbsent("AWS::StackId", "arn:" + pseudo.get("AWS::Partition") + ":cloudformation:" + region + ":"
                + pseudo.get("AWS::AccountId") + ":stack/" + pseudo.get("AWS::StackName")
                + "/00000000-0000-0000-0000-000000000000");
        this.pseudoParameters = Map.copyOf(pseudo);
        this.availabilityZones = builder.availabilityZones != null ? List.copyOf(builder.availabilityZones)
                : List.of(region + "a", region + "b", region + "c");
        this.imports = Map.copyOf(builder.imports);
        this.resources = builder.resources;
    }

    /** A builder with local defaults: region us-east-1, account 123456789012, partition aws, stack "local". */
    public static Builder forTemplate(SamTemplate template) {
        return new Builder(template);
    }

    /**
     * {@code value} with every intrinsic function evaluated, deeply. Maps and lists come back as new
     * LinkedHashMap/ArrayList; an {@code AWS::NoValue} at the top level comes back as null.
     */
    public Object resolve(Object value) {
        Object resolved = evaluate(value);
        return resolved == NO_VALUE ? null : resolved;
    }

    /** {@code value} resolved to text (a number or boolean is written as text, as CloudFormation does). */
    public String resolveText(Object value, String what) {
        Object resolved = resolve(value);
        if (resolved instanceof String || resolved instanceof Number || resolved instanceof Boolean) {
            return String.valueOf(resolved);
        }
        throw new TemplateException(what + " must resolve to text, not " + Values.describe(resolved));
    }

    /** A function's {@code Environment.Variables}, resolved to text. */
    public Map<String, String> environment(SamFunction function) {
        Map<String, String> environment = new LinkedHashMap<>();
        function.environment().forEach((name, value) -> {
            Object resolved = resolve(value);
            if (resolved != null) {
                environment.put(name, resolveText(resolved, function.logicalId() + " environment variable " + name));
            }
        });
        return environment;
    }

    /** The value of one of the template's {@code Conditions}. */
    public boolean condition(String name) {
        Boolean known = conditionValues.get(name);
        if (known != null) {
            return known;
        }
        Object definition = template.conditions().get(name);
        if (definition == null) {
            throw new TemplateException("The template has no condition " + name);
        }
        if (!conditionsInProgress.add(name)) {
            throw new TemplateException("Condition " + name + " refers to itself");
        }
        try {
            boolean value = Values.truth(evaluate(definition), "Condition " + name);
            conditionValues.put(name, value);
            return value;
        } finally {
            conditionsInProgress.remove(name);
        }
    }

    private Object evaluate(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                String key = String.valueOf(map.keySet().iterator().next());
                Object argument = map.values().iterator().next();
                if (key.equals("Ref") || key.startsWith("Fn::")
                        || (key.equals("Condition") && argument instanceof String)) {
                    return function(key, argument);
                }
            }
            Map<String, Object> resolved = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                Object entry = evaluate(v);
                if (entry != NO_VALUE) {
                    resolved.put(String.valueOf(k), entry);
                }
            });
            return resolved;
        }
        if (value instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>();
            for (Object element : list) {
                Object entry = evaluate(element);
                if (entry != NO_VALUE) {
                    resolved.add(entry);
                }
            }
            return resolved;
        }
        return value;
    }

    private Object function(String name, Object argument) {
        return switch (name) {
            case "Ref" -> ref(Values.text(evaluate(argument), "Ref"));
            case "Condition" -> condition((String) argument);
            case "Fn::GetAtt" -> getAtt(argument);
            case "Fn::Sub" -> sub(argument);
            case "Fn::Join" -> join(argument);
            case "Fn::If" -> ifThenElse(argument);
            case "Fn::Equals" -> {
                List<Object> operands = Values.arguments(argument, "Fn::Equals", 2);
                yield Objects.equals(Values.scalarText(evaluate(operands.get(0))), Values.scalarText(evaluate(operands.get(1))));
            }
            case "Fn::And", "Fn::Or" -> {
                List<Object> operands = Values.asList(argument, name);
                boolean and = name.equals("Fn::And");
                boolean result = and;
                for (Object operand : operands) {
                    boolean truth = Values.truth(evaluate(operand), name);
                    result = and ? result && truth : result || truth;
                }
                yield result;
            }
            case "Fn::Not" -> !Values.truth(evaluate(Values.arguments(argument, "Fn::Not", 1).get(0)), "Fn::Not");
            case "Fn::Select" -> select(argument);
            case "Fn::Split" -> {
                List<Object> operands = Values.arguments(argument, "Fn::Split", 2);
                String delimiter = Values.text(evaluate(operands.get(0)), "Fn::Split delimiter");
                String source = Values.text(evaluate(operands.get(1)), "Fn::Split source");
                yield new ArrayList<Object>(List.of(source.split(Pattern.quote(delimiter), -1)));
            }
            case "Fn::FindInMap" -> findInMap(argument);
            case "Fn::ImportValue" -> {
                String export = Values.text(evaluate(argument), "Fn::ImportValue");
                Object imported = imports.get(export);
                if (imported == null) {
                    throw new UnresolvedReferenceException("No local value for Fn::ImportValue " + export
                            + ": give the resolver one (importValue)");
                }
                yield imported;
            }
            case "Fn::Base64" -> Base64.getEncoder().encodeToString(
                    Values.text(evaluate(argument), "Fn::Base64").getBytes(StandardCharsets.UTF_8));
            case "Fn::Cidr" -> cidr(argument);
            case "Fn::GetAZs" -> new ArrayList<Object>(availabilityZones);
            default -> throw new TemplateException("Intrinsic function " + name + " is not supported here");
        };
    }

    private Object ref(String name) {
        if (name.equals("AWS::NoValue")) {
            return NO_VALUE;
        }
        if (name.startsWith("AWS::")) {
            Object value = pseudoParameters.get(name);
            if (value == null) {
                throw new UnresolvedReferenceException("No value for pseudo parameter " + name);
            }
            return value instanceof List<?> list ? new ArrayList<Object>(list) : value;
        }
        Parameter parameter = template.parameters().get(name);
        if (parameter != null) {
            String value = parameterValues.containsKey(name) ? parameterValues.get(name)
                    : parameter.defaultValue().orElseThrow(() -> new UnresolvedReferenceException(
                    "Parameter " + name + " has no default: give the resolver a value for it"));
            return parameter.type().contains("List") ? new ArrayList<Object>(Values.splitList(value)) : value;
        }
        return resources.ref(name, template.resources().get(name));
    }

    private Object getAtt(Object argument) {
        List<Object> operands = Values.arguments(argument, "Fn::GetAtt", 2);
        String logicalId = Values.text(evaluate(operands.get(0)), "Fn::GetAtt resource");
        String attribute = Values.text(evaluate(operands.get(1)), "Fn::GetAtt attribute");
        return resources.getAtt(logicalId, attribute, template.resources().get(logicalId));
    }

    private String sub(Object argument) {
        String pattern;
        Map<String, Object> variables = Map.of();
        if (argument instanceof List<?>) {
            List<Object> operands = Values.arguments(argument, "Fn::Sub", 2);
            pattern = Values.text(operands.get(0), "Fn::Sub text");
            variables = Values.asMap(operands.get(1), "Fn::Sub variables");
        } else {
            pattern = Values.text(argument, "Fn::Sub");
        }
        Matcher m = SUB_VARIABLE.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String variable = m.group(1);
            String replacement;
            if (variable.startsWith("!")) {
                replacement = "${" + variable.substring(1) + "}"; // ${!Literal} stays ${Literal}
            } else if (variables.containsKey(variable)) {
                replacement = Values.scalarText(evaluate(variables.get(variable)));
            } else if (variable.contains(".") && !variable.startsWith("AWS::")) {
                int dot = variable.indexOf('.');
                replacement = Values.scalarText(resources.getAtt(variable.substring(0, dot), variable.substring(dot + 1),
                        template.resources().get(variable.substring(0, dot))));
            } else {
                replacement = Values.scalarText(ref(variable.strip()));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String join(Object argument) {
        List<Object> operands = Values.arguments(argument, "Fn::Join", 2);
        String delimiter = Values.text(evaluate(operands.get(0)), "Fn::Join delimiter");
        Object parts = evaluate(operands.get(1));
        List<String> texts = new ArrayList<>();
        for (Object part : Values.asList(parts, "Fn::Join values")) {
            texts.add(Values.scalarText(part));
        }
        return String.join(delimiter, texts);
    }

    private Object ifThenElse(Object argument) {
        List<Object> operands = Values.arguments(argument, "Fn::If", 3);
        String conditionName = Values.text(operands.get(0), "Fn::If condition");
        return evaluate(condition(conditionName) ? operands.get(1) : operands.get(2));
    }

    private Object select(Object argument) {
        List<Object> operands = Values.arguments(argument, "Fn::Select", 2);
        int index = Integer.parseInt(Values.scalarText(evaluate(operands.get(0))).strip());
        List<Object> list = Values.asList(evaluate(operands.get(1)), "Fn::Select list");
        if (index < 0 || index >= list.size()) {
            throw new TemplateException("Fn::Select index " + index + " is outside a list of " + list.size());
        }
        return list.get(index);
    }

    private Object findInMap(Object argument) {
        List<Object> operands = Values.arguments(argument, "Fn::FindInMap", 3);
        String mapName = Values.text(evaluate(operands.get(0)), "Fn::FindInMap map");
        String topKey = Values.text(evaluate(operands.get(1)), "Fn::FindInMap top-level key");
        String secondKey = Values.text(evaluate(operands.get(2)), "Fn::FindInMap second-level key");
        Map<String, Object> mapping = Values.mapOrEmpty(template.mappings().get(mapName), "Mapping " + mapName);
        Map<String, Object> top = Values.mapOrEmpty(mapping.get(topKey), "Mapping " + mapName + "." + topKey);
        Object value = top.get(secondKey);
        if (value == null) {
            throw new TemplateException("Fn::FindInMap: mapping " + mapName + " has no " + topKey + "." + secondKey);
        }
        return Values.mutableCopy(value);
    }

    /** Fn::Cidr [ipBlock, count, cidrBits]: the first {@code count} subnets with {@code cidrBits} host bits. */
    private List<Object> cidr(Object argument) {
        List<Object> operands = Values.arguments(argument, "Fn::Cidr", 3);
        String block = Values.text(evaluate(operands.get(0)), "Fn::Cidr ipBlock");
        int count = Integer.parseInt(Values.scalarText(evaluate(operands.get(1))).strip());
        int hostBits = Integer.parseInt(Values.scalarText(evaluate(operands.get(2))).strip());
        return Cidr.subnets(block, count, hostBits);
    }

    /** Values for one resolver; anything not given falls back to the template's defaults or local defaults. */
    public static final class Builder {
        private final SamTemplate template;
        private final Map<String, String> parameters = new HashMap<>();
        private final Map<String, Object> pseudoParameters = new HashMap<>(Map.of(
                "AWS::Region", "us-east-1",
                "AWS::AccountId", "123456789012",
                "AWS::Partition", "aws",
                "AWS::URLSuffix", "amazonaws.com",
                "AWS::StackName", "local",
                "AWS::NotificationARNs", List.of()));
        private final Map<String, Object> imports = new HashMap<>();
        private List<String> availabilityZones;
        private ResourceValues resources = ResourceValues.none();

        private Builder(SamTemplate template) {
            this.template = Objects.requireNonNull(template, "template");
        }

        /** A parameter value (overrides its default). */
        public Builder parameter(String name, String value) {
            if (!template.parameters().containsKey(name)) {
                throw new TemplateException("The template has no parameter " + name);
            }
            parameters.put(name, Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Several parameter values, as {@link #parameter}. */
        public Builder parameters(Map<String, String> values) {
            values.forEach(this::parameter);
            return this;
        }

        /** A pseudo parameter such as {@code AWS::Region}, {@code AWS::AccountId} or {@code AWS::StackName}. */
        public Builder pseudoParameter(String name, Object value) {
            if (!name.startsWith("AWS::")) {
                throw new IllegalArgumentException("Pseudo parameters start with AWS::, not " + name);
            }
            pseudoParameters.put(name, Objects.requireNonNull(value, "value"));
            return this;
        }

        /** What {@code Fn::GetAZs} returns; by default the region's a, b and c zones. */
        public Builder availabilityZones(List<String> zones) {
            this.availabilityZones = List.copyOf(zones);
            return this;
        }

        /** The value of {@code Fn::ImportValue exportName}. */
        public Builder importValue(String exportName, Object value) {
            imports.put(exportName, Objects.requireNonNull(value, "value"));
            return this;
        }

        /** What {@code Ref} and {@code Fn::GetAtt} of resources resolve to. */
        public Builder resources(ResourceValues values) {
            this.resources = Objects.requireNonNull(values, "values");
            return this;
        }

        public IntrinsicResolver build() {
            return new IntrinsicResolver(this);
        }
    }
}
