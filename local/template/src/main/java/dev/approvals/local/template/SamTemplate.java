package dev.approvals.local.template;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A SAM template, read once: parameters, resources, and the functions with {@code Globals} merged in. The local
 * stack reads routes, handlers, environment and timeouts from here, so the template it deploys is the one it runs.
 *
 * <pre>{@code
 * SamTemplate template = SamTemplate.read(Path.of("template.yaml"));
 * for (SamFunction function : template.functions()) {
 *     function.handler(); function.httpApiRoutes(); function.environment(); function.timeoutSeconds();
 * }
 * }</pre>
 */
public final class SamTemplate {

    public static final String SERVERLESS_FUNCTION = "AWS::Serverless::Function";

    /** Which {@code Globals} section applies to which SAM resource type. */
    private static final Map<String, String> GLOBALS_SECTION_BY_TYPE = Map.of(
            SERVERLESS_FUNCTION, "Function",
            "AWS::Serverless::Api", "Api",
            "AWS::Serverless::HttpApi", "HttpApi",
            "AWS::Serverless::SimpleTable", "SimpleTable",
            "AWS::Serverless::StateMachine", "StateMachine",
            "AWS::Serverless::LayerVersion", "LayerVersion");

    private final Map<String, Object> raw;
    private final Map<String, Parameter> parameters;
    private final Map<String, Resource> resources;

    private SamTemplate(Map<String, Object> raw) {
        this.raw = raw;
        this.parameters = readParameters(raw);
        this.resources = readResources(raw);
    }

    /** Reads and checks a template file. */
    public static SamTemplate read(Path file) {
        return of(TemplateYaml.read(file));
    }

    /** A template from its parsed form (long-form intrinsics, as {@link TemplateYaml} produces); the map is copied. */
    public static SamTemplate of(Map<String, Object> template) {
        @SuppressWarnings("unchecked")
        Map<String, Object> frozen = (Map<String, Object>) Values.frozenCopy(template);
        return new SamTemplate(frozen);
    }

    /** The whole template as parsed; unmodifiable. */
    public Map<String, Object> raw() {
        return raw;
    }

    /** A deep, changeable copy of the whole template, e.g. to derive a variant and read it with {@link #of}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> mutableCopy() {
        return (Map<String, Object>) Values.mutableCopy(raw);
    }

    public Map<String, Parameter> parameters() {
        return parameters;
    }

    /** Resources by logical id, in template order. */
    public Map<String, Resource> resources() {
        return resources;
    }

    public Optional<Resource> resource(String logicalId) {
        return Optional.ofNullable(resources.get(logicalId));
    }

    public Map<String, Object> conditions() {
        return Values.mapOrEmpty(raw.get("Conditions"), "Conditions");
    }

    public Map<String, Object> mappings() {
        return Values.mapOrEmpty(raw.get("Mappings"), "Mappings");
    }

    public Map<String, Object> outputs() {
        return Values.mapOrEmpty(raw.get("Outputs"), "Outputs");
    }

    public Map<String, Object> globals() {
        return Values.mapOrEmpty(raw.get("Globals"), "Globals");
    }

    /** Every {@code AWS::Serverless::Function}, Globals merged, in template order. */
    public List<SamFunction> functions() {
        List<SamFunction> functions = new ArrayList<>();
        for (Resource resource : resources.values()) {
            if (resource.type().equals(SERVERLESS_FUNCTION)) {
                functions.add(new SamFunction(resource.logicalId(), propertiesWithGlobals(resource),
                        resource.metadata()));
            }
        }
        return List.copyOf(functions);
    }

    /** The function with this logical id, Globals merged. */
    public SamFunction function(String logicalId) {
        return functions().stream().filter(f -> f.logicalId().equals(logicalId)).findFirst()
                .orElseThrow(() -> new TemplateException("The template has no " + SERVERLESS_FUNCTION + " "
                        + logicalId));
    }

    /**
     * A resource's properties with its Globals section merged in, as SAM does it: a value in the resource wins
     * over a text, number, boolean or intrinsic function in Globals; maps are merged key by key; lists are
     * concatenated, Globals' entries first.
     */
    public Map<String, Object> propertiesWithGlobals(Resource resource) {
        String section = GLOBALS_SECTION_BY_TYPE.get(resource.type());
        if (section == null) {
            return resource.properties();
        }
        Map<String, Object> global = Values.mapOrEmpty(globals().get(section), "Globals." + section);
        @SuppressWarnings("unchecked")
        Map<String, Object> merged = (Map<String, Object>) Values.frozenCopy(merge(global, resource.properties()));
        return merged;
    }

    private static Object merge(Object global, Object local) {
        if (local == null) {
            return global;
        }
        if (global == null) {
            return local;
        }
        if (global instanceof Map<?, ?> g && local instanceof Map<?, ?> l
                && !Values.isIntrinsic(g) && !Values.isIntrinsic(l)) {
            Map<String, Object> merged = new LinkedHashMap<>();
            g.forEach((k, v) -> merged.put(String.valueOf(k), v));
            l.forEach((k, v) -> merged.merge(String.valueOf(k), v, SamTemplate::merge));
            return merged;
        }
        if (global instanceof List<?> g && local instanceof List<?> l) {
            List<Object> merged = new ArrayList<>(g);
            merged.addAll(l);
            return merged;
        }
        return local;
    }

    private static Map<String, Parameter> readParameters(Map<String, Object> raw) {
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        Values.mapOrEmpty(raw.get("Parameters"), "Parameters").forEach((name, value) -> {
            Map<String, Object> definition = Values.asMap(value, "Parameter " + name);
            if (!(definition.get("Type") instanceof String type)) {
                throw new TemplateException("Parameter " + name + " has no Type");
            }
            Object defaultValue = definition.get("Default");
            List<String> allowed = new ArrayList<>();
            if (definition.get("AllowedValues") != null) {
                Values.asList(definition.get("AllowedValues"), "Parameter " + name + " AllowedValues")
                        .forEach(v -> allowed.add(String.valueOf(v)));
            }
            parameters.put(name, new Parameter(name, type,
                    Optional.ofNullable(defaultValue).map(SamTemplate::parameterText),
                    definition.get("Description") instanceof String d ? d : "",
                    List.copyOf(allowed)));
        });
        return Collections.unmodifiableMap(parameters);
    }

    /** CloudFormation hands parameter values over as text; a list default is comma-joined. */
    private static String parameterText(Object value) {
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    private static Map<String, Resource> readResources(Map<String, Object> raw) {
        if (raw.get("Resources") == null) {
            throw new TemplateException("A template needs a Resources section");
        }
        Map<String, Resource> resources = new LinkedHashMap<>();
        Values.asMap(raw.get("Resources"), "Resources").forEach((id, value) -> {
            Map<String, Object> definition = Values.asMap(value, "Resource " + id);
            if (!(definition.get("Type") instanceof String type)) {
                throw new TemplateException("Resource " + id + " has no Type");
            }
            resources.put(id, new Resource(id, type,
                    Values.mapOrEmpty(definition.get("Properties"), "Resource " + id + " Properties"),
                    Values.mapOrEmpty(definition.get("Metadata"), "Resource " + id + " Metadata")));
        });
        return Collections.unmodifiableMap(resources);
    }
}
