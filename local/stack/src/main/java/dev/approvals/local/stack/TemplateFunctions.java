package dev.approvals.local.stack;

import dev.approvals.local.apigateway.Route;
import dev.approvals.local.lambda.FunctionSpec;
import dev.approvals.local.template.IntrinsicResolver;
import dev.approvals.local.template.Resource;
import dev.approvals.local.template.SamFunction;
import dev.approvals.local.template.SamTemplate;
import dev.approvals.local.template.TemplateException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The template's functions as the local stack runs them: handler, timeout, memory, runtime and logging settings,
 * environment variables with their intrinsic functions resolved to local values, the code unpacked from the
 * {@code CodeUri} module's {@code target/function.zip}, and the HTTP API routes of their {@code HttpApi} events
 * with the JWT authorizer that protects each.
 */
public final class TemplateFunctions {

    /**
     * One function of the template.
     *
     * @param alias   the {@code AutoPublishAlias} (e.g. {@code live}): the one its HTTP API routes invoke
     * @param aliases every alias of the function (its {@code AutoPublishAlias} and the {@code AWS::Lambda::Alias}
     *                resources naming it), the qualifiers the Invoke API accepts for it besides {@code $LATEST}
     */
    public record TemplateFunction(FunctionSpec spec, List<Route> routes, Optional<String> alias,
                                   List<String> aliases) {

        public TemplateFunction(FunctionSpec spec, List<Route> routes, Optional<String> alias) {
            this(spec, routes, alias, alias.map(List::of).orElse(List.of()));
        }

        /** This function with one more environment variable (e.g. an SDK endpoint the local stack sets). */
        public TemplateFunction withVariable(String name, String value) {
            Map<String, String> environment = new LinkedHashMap<>(spec.environment());
            environment.put(name, value);
            return new TemplateFunction(new FunctionSpec(spec.name(), spec.handler(), spec.codeDirectory(),
                    environment, spec.timeout(), spec.memorySizeMb(), spec.runtime(), spec.logFormat(),
                    spec.logLevel(), spec.region(), spec.accountId()), routes, alias, aliases);
        }
    }

    private TemplateFunctions() {
    }

    /**
     * @param root              the repository: {@code CodeUri}s are relative to it
     * @param endpointOverrides values for declared variables that point at local endpoints (e.g.
     *                          {@code DATA_API_ENDPOINT}); like {@code sam local --env-vars}, only variables the
     *                          template declares are set
     * @param scratch           where the code is unpacked, one directory per function
     */
    public static List<TemplateFunction> read(SamTemplate template, Path root, IntrinsicResolver resolver,
                                              Map<String, String> endpointOverrides, Path scratch, String region,
                                              String accountId) {
        return read(template, root, resolver, endpointOverrides, value -> value, scratch, region, accountId);
    }

    /**
     * As {@link #read(SamTemplate, Path, IntrinsicResolver, Map, Path, String, String)}, with CloudFormation
     * dynamic references ({@code {{resolve:...}}}) in environment values resolved by {@code dynamicReferences}.
     */
    public static List<TemplateFunction> read(SamTemplate template, Path root, IntrinsicResolver resolver,
                                              Map<String, String> endpointOverrides,
                                              java.util.function.UnaryOperator<String> dynamicReferences, Path scratch,
                                              String region, String accountId) {
        List<TemplateFunction> functions = new ArrayList<>();
        for (SamFunction function : template.functions()) {
            String name = function.logicalId();
            try {
                Map<String, String> environment = new LinkedHashMap<>(resolver.environment(function));
                environment.replaceAll((variable, value) -> dynamicReferences.apply(value));
                endpointOverrides.forEach((variable, value) -> environment.computeIfPresent(variable, (k, v) -> value));
                Path code = unpack(codeArchive(root, function), scratch.resolve(name));
                Map<String, Object> logging = map(function.property("LoggingConfig"));
                Optional<String> logFormat = text(logging.get("LogFormat"));
                Optional<String> logLevel = logFormat.filter("JSON"::equalsIgnoreCase)
                        .map(json -> text(logging.get("ApplicationLogLevel")).orElse("INFO"));
                FunctionSpec spec = new FunctionSpec(name, function.handler(), code, environment,
                        Duration.ofSeconds(function.timeoutSeconds()), function.memorySizeMb(),
                        function.runtime().orElse("java21"), logFormat, logLevel, region, accountId);
                List<Route> routes = new ArrayList<>();
                Optional<String> alias = function.autoPublishAlias().flatMap(TemplateFunctions::text);
                function.events().forEach((eventName, value) -> {
                    Map<String, Object> event = map(value);
                    if ("HttpApi".equals(event.get("Type"))) {
                        Map<String, Object> properties = map(event.get("Properties"));
                        String authorizer = jwtAuthorizer(template, properties);
                        routes.add(new Route(text(properties.get("Method")).orElse("ANY"),
                                text(properties.get("Path")).orElse("$default"), name, authorizer,
                                authorizer == null ? List.of() : scopes(resolver, properties), alias.orElse(null)));
                    }
                });
                List<String> aliases = new ArrayList<>(alias.map(List::of).orElse(List.of()));
                aliases.addAll(aliasResources(template, name));
                functions.add(new TemplateFunction(spec, List.copyOf(routes), alias, List.copyOf(aliases)));
            } catch (TemplateException e) {
                throw new TemplateException(name + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(functions);
    }

    /** {@code CodeUri} names a module (its built {@code target/function.zip}) or an archive itself. */
    static Path codeArchive(Path root, SamFunction function) {
        String codeUri = function.codeUri().orElseThrow(() -> new TemplateException(
                "CodeUri is not a local path; the local stack runs local code only"));
        Path target = root.resolve(codeUri).normalize();
        Path archive = codeUri.endsWith(".zip") || codeUri.endsWith(".jar") ? target
                : target.resolve("target").resolve("function.zip");
        if (!Files.isRegularFile(archive)) {
            throw new TemplateException("no " + root.relativize(archive) + ": build the functions first ("
                    + "./mvnw -pl local/stack -am package, which bin/approvals-local runs when needed)");
        }
        return archive;
    }

    /** Unpacks a Lambda zip (classes at the root, jars in lib/) as Lambda unpacks it into /var/task. */
    public static Path unpack(Path archive, Path directory) {
        try {
            Files.createDirectories(directory);
            try (ZipFile zip = new ZipFile(archive.toFile())) {
                Enumeration<? extends ZipEntry> entries = zip.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry entry = entries.nextElement();
                    Path target = directory.resolve(entry.getName()).normalize();
                    if (!target.startsWith(directory)) {
                        throw new IOException("Entry outside the archive's root: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        try (InputStream in = zip.getInputStream(entry)) {
                            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack " + archive + ": " + e.getMessage(), e);
        }
    }

    /**
     * The JWT authorizer of a route: the event's {@code Auth.Authorizer}, else its API's
     * {@code Auth.DefaultAuthorizer} ({@code NONE}: none). Lambda authorizers are not emulated (as in SAM).
     */
    static String jwtAuthorizer(SamTemplate template, Map<String, Object> eventProperties) {
        Map<String, Object> apiProperties;
        Object apiId = eventProperties.get("ApiId");
        if (apiId instanceof Map<?, ?> ref && ref.get("Ref") instanceof String logicalId) {
            Resource api = template.resource(logicalId).orElseThrow(() -> new TemplateException(
                    "HttpApi event refers to an unknown ApiId " + logicalId));
            apiProperties = template.propertiesWithGlobals(api);
        } else {
            apiProperties = map(template.globals().get("HttpApi"));
        }
        Map<String, Object> auth = map(apiProperties.get("Auth"));
        Optional<String> authorizer = text(map(eventProperties.get("Auth")).get("Authorizer"))
                .or(() -> text(auth.get("DefaultAuthorizer")));
        if (authorizer.isEmpty() || authorizer.get().equals("NONE")) {
            return null;
        }
        Map<String, Object> definition = map(map(auth.get("Authorizers")).get(authorizer.get()));
        return definition.containsKey("JwtConfiguration") ? authorizer.get() : null;
    }

    /** The names of the {@code AWS::Lambda::Alias} resources whose {@code FunctionName} is {@code !Ref function}. */
    static List<String> aliasResources(SamTemplate template, String function) {
        List<String> names = new ArrayList<>();
        template.resources().values().forEach(resource -> {
            if ("AWS::Lambda::Alias".equals(resource.type())) {
                Map<String, Object> properties = resource.properties();
                if (map(properties.get("FunctionName")).equals(Map.of("Ref", function))) {
                    text(properties.get("Name")).ifPresent(names::add);
                }
            }
        });
        return names;
    }

    /** The event's {@code Auth.AuthorizationScopes}, parameters resolved (e.g. {@code !Ref DecideScope}). */
    static List<String> scopes(IntrinsicResolver resolver, Map<String, Object> eventProperties) {
        Object scopes = map(eventProperties.get("Auth")).get("AuthorizationScopes");
        if (scopes == null) {
            return List.of();
        }
        if (!(resolver.resolve(scopes) instanceof List<?> list)) {
            throw new TemplateException("Auth.AuthorizationScopes must be a list");
        }
        return list.stream().map(scope -> resolver.resolveText(scope, "an authorization scope")).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static Optional<String> text(Object value) {
        return value instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }
}
