package dev.approvals.local.template.contract;

import dev.approvals.local.template.HttpApiRoute;
import dev.approvals.local.template.IntrinsicResolver;
import dev.approvals.local.template.Resource;
import dev.approvals.local.template.SamFunction;
import dev.approvals.local.template.SamTemplate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules that tie {@code template.yaml} to the code it deploys. Each rule returns its violations as readable
 * sentences (empty = the rule holds). Facts about the code come from each function's built zip (its
 * {@code CodeUri}'s {@code target/function.zip}), never from a list kept by hand.
 */
final class TemplateContract {

    /**
     * Set by Lambda itself, so a template must not declare them (Lambda guide, "Defined runtime environment
     * variables").
     */
    static final Set<String> LAMBDA_RESERVED_VARIABLES = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION",
            "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_FORMAT", "AWS_LAMBDA_LOG_LEVEL",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");

    /** The HTTP API's integration timeout (30 s, its maximum); a function behind the API must finish before it. */
    static final int API_GATEWAY_TIMEOUT_SECONDS = 30;

    /**
     * Permissions a service exercises with the caller's credentials on top of the call itself: the Data API reads
     * the secret named in each request as the caller (Aurora guide, "Authorizing access to the Data API"), and
     * Secrets Manager decrypts a secret with the caller's rights on its customer managed key (SecretsKey).
     */
    static final Map<String, Set<String>> IMPLIED_ACTIONS = Map.of(
            "rds-data", Set.of("secretsmanager:GetSecretValue", "kms:Decrypt"),
            "secretsmanager", Set.of("kms:Decrypt"));

    /** The kind of resource each service's actions must be scoped to. */
    /** An alias resource, e.g. the approve function's {@code workflow} entry path (of a published version). */
    static final String LAMBDA_ALIAS = "AWS::Lambda::Alias";

    static final Map<String, String> RESOURCE_TYPE_BY_SERVICE = Map.of(
            "rds-data", "AWS::RDS::DBCluster",
            "secretsmanager", "AWS::SecretsManager::Secret",
            "kms", "AWS::KMS::Key",
            "lambda", SamTemplate.SERVERLESS_FUNCTION,
            "events", "AWS::Events::EventBus");

    /** The attribute of a cluster that manages its master password: the ARN of the secret RDS keeps it in. */
    static final List<String> MANAGED_MASTER_SECRET = List.of("MasterUserSecret.SecretArn");

    /**
     * What a state machine's role needs to deliver its logs (Logging.Destinations) through CloudWatch Logs' vended
     * log delivery (Step Functions guide, "IAM policies for logging to CloudWatch Logs").
     */
    static final Set<String> LOG_DELIVERY_ACTIONS = Set.of("logs:CreateLogDelivery", "logs:DeleteLogDelivery",
            "logs:DescribeLogGroups", "logs:DescribeResourcePolicies", "logs:GetLogDelivery",
            "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:UpdateLogDelivery");

    static final String SERVERLESS_STATE_MACHINE = "AWS::Serverless::StateMachine";
    /** Error names Step Functions itself defines; every other name a state machine matches must be ours. */
    static final List<String> SERVICE_ERROR_PREFIXES = List.of("States.", "Lambda.");
    /** The package whose top-level exception classes are the functions' public error contract. */
    static final String ERRORS_PACKAGE = "dev.approvals.errors";
    /**
     * The only errors a state machine may retry: Lambda's transient service errors (Step Functions guide, "Handling
     * transient Lambda service exceptions") and the functions' own "the database is resuming or unavailable". Anything
     * else (a refusal, invalid input, a SQL error, {@code States.TaskFailed} or {@code States.ALL}, which match those)
     * fails the same way every time, so retrying it only delays the failure.
     */
    static final Set<String> TRANSIENT_ERRORS = Set.of("Lambda.ServiceException", "Lambda.AWSLambdaException",
            "Lambda.SdkClientException", "Lambda.TooManyRequestsException", "Lambda.ClientExecutionTimeoutException",
            "dev.approvals.errors.DecisionUnavailableException");
    /** Bounds of a retrier: attempts, and the longest wait between two (MaxDelaySeconds must say it). */
    static final int MAX_RETRY_ATTEMPTS = 10;
    static final int MAX_RETRY_DELAY_SECONDS = 60;
    /** IAM prefixes of the services whose SDK names differ from them (Step Functions {@code aws-sdk:<service>}). */
    static final Map<String, String> IAM_PREFIX_BY_SDK_SERVICE = Map.of("rdsdata", "rds-data");

    /**
     * Actions that may be granted on {@code "*"}, with why: only actions for which IAM defines no resource type
     * (Service Authorization Reference). One entry per action.
     */
    static final Map<String, String> ACTIONS_ALLOWED_ON_ANY_RESOURCE = Map.ofEntries(
            Map.entry("states:SendTaskSuccess", "a task token, not an ARN, names the task: no resource type exists"),
            Map.entry("states:SendTaskFailure", "a task token, not an ARN, names the task: no resource type exists"),
            Map.entry("logs:CreateLogDelivery", "vended log delivery: no resource type exists"),
            Map.entry("logs:DeleteLogDelivery", "vended log delivery: no resource type exists"),
            Map.entry("logs:GetLogDelivery", "vended log delivery: no resource type exists"),
            Map.entry("logs:ListLogDeliveries", "vended log delivery: no resource type exists"),
            Map.entry("logs:UpdateLogDelivery", "vended log delivery: no resource type exists"),
            Map.entry("logs:PutResourcePolicy", "account-wide log resource policy: no resource type exists"),
            Map.entry("logs:DescribeResourcePolicies", "account-wide log resource policies: no resource type exists"),
            Map.entry("logs:DescribeLogGroups", "lists log groups: granted on * (Step Functions guide)"));

    /**
     * The route a decision is served on: the HTTP contract of {@code dev.approvals.http.HttpRequests}
     * ({@code POST /approvals/{id}/approve|reject}; the code reads the {@code id} path parameter and accepts POST).
     */
    static String routeKeyOf(String decision) {
        return "POST /approvals/{id}/" + decision.toLowerCase(Locale.ROOT);
    }

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final SamTemplate template;
    private final Function<String, Optional<FunctionArtifact>> artifactByCodeUri;
    private final Function<String, Path> zipPathOfCodeUri;
    private final Function<String, Map<String, Object>> definitionByUri;

    /**
     * @param artifactByCodeUri the built artifact of a CodeUri, or empty when it has not been built
     * @param zipPathOfCodeUri  where that artifact is expected (for messages)
     * @param definitionByUri   a state machine's parsed ASL definition by its DefinitionUri
     */
    TemplateContract(SamTemplate template, Function<String, Optional<FunctionArtifact>> artifactByCodeUri,
                     Function<String, Path> zipPathOfCodeUri, Function<String, Map<String, Object>> definitionByUri) {
        this.template = template;
        this.artifactByCodeUri = artifactByCodeUri;
        this.zipPathOfCodeUri = zipPathOfCodeUri;
        this.definitionByUri = definitionByUri;
    }

    /** Every rule's violations. */
    List<String> violations() {
        List<String> all = new ArrayList<>();
        all.addAll(handlers());
        all.addAll(environment());
        all.addAll(routes());
        all.addAll(authorization());
        all.addAll(iamActions());
        all.addAll(policyResources());
        all.addAll(apiTimeouts());
        all.addAll(snapStart());
        all.addAll(stateMachines());
        all.addAll(databaseSecrets());
        return all;
    }

    /** Each Handler names a runnable class and method in the artifact its CodeUri builds. */
    List<String> handlers() {
        List<String> violations = new ArrayList<>();
        for (SamFunction function : template.functions()) {
            Optional<String> codeUri = function.codeUri();
            if (codeUri.isEmpty()) {
                violations.add(function.logicalId() + ": CodeUri must be the path of a module that builds "
                        + "target/function.zip");
                continue;
            }
            Optional<FunctionArtifact> artifact = artifactByCodeUri.apply(codeUri.get());
            if (artifact.isEmpty()) {
                violations.add(function.logicalId() + ": no built artifact at " + zipPathOfCodeUri.apply(codeUri.get())
                        + " (CodeUri " + codeUri.get() + "; build it with ./mvnw -pl " + codeUri.get()
                        + " -am package)");
                continue;
            }
            artifact.get().handlerProblem(function.handler()).ifPresent(problem -> violations.add(
                    function.logicalId() + ": Handler " + function.handler() + ": " + problem));
        }
        return violations;
    }

    /** The template declares exactly the variables the code reads (minus those Lambda sets itself). */
    List<String> environment() {
        List<String> violations = new ArrayList<>();
        withArtifacts((function, artifact) -> {
            Set<String> declared = new TreeSet<>(function.environment().keySet());
            Set<String> read = artifact.environmentVariablesRead(function.handler().split("::")[0]);
            for (String reader : artifact.classesReadingVariablesDirectly()) {
                violations.add(function.logicalId() + ": " + reader + " reads an environment variable by name; read "
                        + "it through an EnvironmentVariables constant so this rule can see it");
            }
            for (String name : read) {
                if (!declared.contains(name) && !LAMBDA_RESERVED_VARIABLES.contains(name)) {
                    violations.add(function.logicalId() + ": the code reads " + name
                            + " but the template does not declare it");
                }
            }
            for (String name : declared) {
                if (LAMBDA_RESERVED_VARIABLES.contains(name)) {
                    violations.add(function.logicalId() + ": declares " + name + ", which Lambda sets itself");
                } else if (!read.contains(name)) {
                    violations.add(function.logicalId() + ": declares " + name + " but nothing its handler reaches in "
                            + artifact.zip().getFileName() + " of " + function.codeUri().orElseThrow() + " reads it");
                }
            }
        });
        return violations;
    }

    /**
     * Every route the code serves has its function in the template, and no route goes elsewhere: a handler serves
     * the route of the decision it makes, and the routes ({@code dev.approvals.http.Route}) its code refers to.
     */
    List<String> routes() {
        List<String> violations = new ArrayList<>();
        Set<String> decisionsInCode = new TreeSet<>();
        Set<String> decisionsRouted = new TreeSet<>();
        Set<String> otherRoutesInCode = new TreeSet<>();
        Set<String> otherRoutesServed = new TreeSet<>();
        Map<String, String> functionByRoute = new HashMap<>();
        withArtifacts((function, artifact) -> {
            decisionsInCode.addAll(artifact.decisions());
            Set<String> decisionRoutes = new TreeSet<>();
            artifact.decisions().forEach(d -> decisionRoutes.add(routeKeyOf(d)));
            artifact.routeKeys().values().stream().filter(key -> !decisionRoutes.contains(key))
                    .forEach(otherRoutesInCode::add);
            String handlerClass = function.handler().split("::")[0];
            Optional<String> decision = artifact.decisionMadeBy(handlerClass);
            Set<String> expected = new LinkedHashSet<>();
            decision.ifPresent(d -> expected.add(routeKeyOf(d)));
            expected.addAll(artifact.routesReferencedBy(handlerClass));
            Set<String> actual = new LinkedHashSet<>();
            for (String routeKey : apiRouteKeys(function)) {
                actual.add(routeKey);
                String other = functionByRoute.putIfAbsent(routeKey, function.logicalId());
                if (other != null) {
                    violations.add("route " + routeKey + " is sent to both " + other + " and " + function.logicalId());
                }
            }
            for (String routeKey : expected) {
                boolean decides = decision.isPresent() && routeKey.equals(routeKeyOf(decision.get()));
                if (actual.contains(routeKey)) {
                    if (decides) {
                        decisionsRouted.add(decision.get());
                    } else {
                        otherRoutesServed.add(routeKey);
                    }
                } else {
                    violations.add(function.logicalId() + ": " + handlerClass + (decides ? " makes the "
                            + decision.get() + " decision" : " serves " + routeKey)
                            + " but the template routes no " + routeKey + " to it");
                }
            }
            for (String routeKey : actual) {
                if (!expected.contains(routeKey)) {
                    violations.add(function.logicalId() + ": route " + routeKey + " has no handler path for it in "
                            + handlerClass + (expected.isEmpty() ? " (it serves no HTTP route)"
                            : " (it serves " + String.join(", ", expected) + ")"));
                }
            }
        });
        for (String decision : decisionsInCode) {
            if (!decisionsRouted.contains(decision)) {
                violations.add("the code's " + decision + " decision has no function with route "
                        + routeKeyOf(decision) + " in the template");
            }
        }
        for (String routeKey : otherRoutesInCode) {
            if (!otherRoutesServed.contains(routeKey)) {
                violations.add("the code's route " + routeKey + " has no function serving it in the template");
            }
        }
        return violations;
    }

    /**
     * Only the page goes without the JWT authorizer: the browser loads it before anyone signs in, and nothing else
     * may be reached without a verified caller. A route is public when its event says {@code Auth: Authorizer:
     * NONE}, or when neither it nor its API names an authorizer.
     */
    List<String> authorization() {
        List<String> violations = new ArrayList<>();
        withArtifacts((function, artifact) -> {
            Set<String> page = artifact.pageRouteKeys();
            for (HttpApiRoute route : function.httpApiRoutes()) {
                Optional<String> authorizer = authorizerOf(function, route);
                if (authorizer.isEmpty() && !page.contains(route.routeKey())) {
                    violations.add(function.logicalId() + ": route " + route.routeKey() + " has no authorizer; only "
                            + "the page's routes may be reached without a verified caller");
                } else if (authorizer.isPresent() && page.contains(route.routeKey())) {
                    violations.add(function.logicalId() + ": route " + route.routeKey() + " is behind "
                            + authorizer.get() + ", but the browser loads the page before anyone signs in (give it "
                            + "Auth: Authorizer: NONE)");
                }
                if (authorizer.isPresent() && !page.contains(route.routeKey())) {
                    violations.addAll(scopeProblems(function, route));
                }
            }
        });
        return violations;
    }

    /**
     * Every route behind the authorizer names the scopes an access token needs (ID tokens carry none, so they are
     * refused); deciding needs DecideScope (docs/security.md).
     */
    private List<String> scopeProblems(SamFunction function, HttpApiRoute route) {
        Map<String, Object> properties = object(object(function.events().get(route.eventName())).get("Properties"));
        Object scopes = object(properties.get("Auth")).get("AuthorizationScopes");
        String where = function.logicalId() + ": route " + route.routeKey();
        if (!(scopes instanceof List<?> list) || list.isEmpty()) {
            return List.of(where + " requires no scope; any token from the issuer (an ID token too) would pass");
        }
        boolean decides = route.routeKey().endsWith("/approve") || route.routeKey().endsWith("/reject");
        if (decides && !list.equals(List.of(Map.of("Ref", "DecideScope")))) {
            return List.of(where + " decides: it must require exactly the DecideScope parameter");
        }
        return List.of();
    }

    private Optional<String> authorizerOf(SamFunction function, HttpApiRoute route) {
        Map<String, Object> properties = object(object(function.events().get(route.eventName())).get("Properties"));
        Object named = object(properties.get("Auth")).get("Authorizer");
        if (named == null && route.apiId() instanceof Map<?, ?> api && api.get("Ref") instanceof String apiId) {
            named = template.resource(apiId).map(r -> object(r.properties().get("Auth")).get("DefaultAuthorizer"))
                    .orElse(null);
        }
        return named == null || "NONE".equals(named) ? Optional.empty() : Optional.of(String.valueOf(named));
    }

    /** The granted actions are exactly the ones the code calls (plus what those calls imply). */
    List<String> iamActions() {
        List<String> violations = new ArrayList<>();
        withArtifacts((function, artifact) -> {
            Grants grants = grants(function);
            violations.addAll(grants.problems());
            Set<String> called = artifact.iamActionsCalled(function.handler().split("::")[0]);
            Set<String> expected = new TreeSet<>(called);
            for (String action : called) {
                expected.addAll(IMPLIED_ACTIONS.getOrDefault(service(action), Set.of()));
            }
            Map<String, String> granted = new LinkedHashMap<>();
            for (Grant grant : grants.grants()) {
                granted.putIfAbsent(grant.action().toLowerCase(Locale.ROOT), grant.action());
            }
            for (String action : expected) {
                if (!granted.containsKey(action.toLowerCase(Locale.ROOT))) {
                    violations.add(function.logicalId() + ": the code calls " + action
                            + (called.contains(action) ? "" : " (implied by its Data API calls)")
                            + " but the template does not grant it");
                }
            }
            Set<String> expectedLower = new TreeSet<>();
            expected.forEach(a -> expectedLower.add(a.toLowerCase(Locale.ROOT)));
            granted.forEach((lower, action) -> {
                if (!expectedLower.contains(lower)) {
                    violations.add(function.logicalId() + ": grants " + action + ", which the code never calls");
                }
            });
        });
        return violations;
    }

    /** Every granted action is scoped to a resource of this stack of the right kind; {@code *} only by exception. */
    List<String> policyResources() {
        List<String> violations = new ArrayList<>();
        Map<String, Grants> grantsById = new LinkedHashMap<>();
        template.functions().forEach(function -> grantsById.put(function.logicalId(), grants(function)));
        stateMachineResources().forEach(machine -> grantsById.put(machine.logicalId(), grants(machine)));
        for (Map.Entry<String, Grants> granted : grantsById.entrySet()) {
            for (Grant grant : granted.getValue().grants()) {
                for (Object resource : grant.resources()) {
                    Scope scope = scope(resource);
                    String where = granted.getKey() + ": " + grant.action() + " on " + describe(resource);
                    if (scope.wildcard()) {
                        if (!(resource.equals("*") && ACTIONS_ALLOWED_ON_ANY_RESOURCE.containsKey(grant.action()))) {
                            violations.add(where + ": a wildcard resource (allowed only for the actions listed in "
                                    + "ACTIONS_ALLOWED_ON_ANY_RESOURCE)");
                        }
                        continue;
                    }
                    if (scope.resourceIds().isEmpty() || !scope.otherReferences().isEmpty()) {
                        violations.add(where + ": outside this stack (name a resource of this template with "
                                + "!Ref or !GetAtt)");
                        continue;
                    }
                    String requiredType = RESOURCE_TYPE_BY_SERVICE.get(service(grant.action()));
                    if ("AWS::SecretsManager::Secret".equals(requiredType) && managedMasterSecret(resource).isPresent()) {
                        continue;
                    }
                    for (String id : scope.resourceIds()) {
                        String type = template.resource(id).map(Resource::type).orElse("?");
                        // A function's alias (an entry path, docs/security.md) is a function's resource too.
                        boolean alias = type.equals(LAMBDA_ALIAS) && service(grant.action()).equals("lambda");
                        if (requiredType != null && !requiredType.equals(type) && !alias) {
                            violations.add(where + ": " + id + " is a " + type + ", not the " + requiredType
                                    + " that " + service(grant.action()) + " actions act on");
                        }
                    }
                }
            }
        }
        return violations;
    }

    /** Functions behind the HTTP API end before its 30 s integration timeout. */
    List<String> apiTimeouts() {
        List<String> violations = new ArrayList<>();
        IntrinsicResolver defaults = IntrinsicResolver.forTemplate(template).build();
        for (SamFunction function : template.functions()) {
            if (apiRouteKeys(function).isEmpty()) {
                continue;
            }
            Object timeout = function.property("Timeout");
            int seconds = timeout == null ? SamFunction.DEFAULT_TIMEOUT_SECONDS
                    : Integer.parseInt(defaults.resolveText(timeout, function.logicalId() + " Timeout").strip());
            if (seconds >= API_GATEWAY_TIMEOUT_SECONDS) {
                violations.add(function.logicalId() + ": Timeout " + seconds + " s is not below the HTTP API's "
                        + API_GATEWAY_TIMEOUT_SECONDS + " s");
            }
        }
        return violations;
    }

    /** SnapStart only applies to published versions: a function with it on needs AutoPublishAlias. */
    List<String> snapStart() {
        List<String> violations = new ArrayList<>();
        for (SamFunction function : template.functions()) {
            if (function.snapStartApplyOn().filter("PublishedVersions"::equals).isPresent()
                    && function.autoPublishAlias().isEmpty()) {
                violations.add(function.logicalId() + ": SnapStart is on but AutoPublishAlias is not set, so its "
                        + "callers would invoke $LATEST, which SnapStart never applies to");
            }
        }
        return violations;
    }

    /**
     * Each state machine's ASL names only states it has, uses exactly the DefinitionSubstitutions it is given,
     * matches only error names Step Functions defines ({@code States.*}, {@code Lambda.*}) or concrete top-level
     * exception classes of the functions' public errors package, retries only transient errors with a bounded
     * backoff, invokes functions through their alias, and is granted exactly the actions its tasks call.
     */
    List<String> stateMachines() {
        List<String> violations = new ArrayList<>();
        for (Resource machine : stateMachineResources()) {
            String id = machine.logicalId();
            if (!(machine.properties().get("DefinitionUri") instanceof String uri)) {
                violations.add(id + ": DefinitionUri must name the ASL file in this repository");
                continue;
            }
            Map<String, Object> asl;
            try {
                asl = definitionByUri.apply(uri);
            } catch (RuntimeException e) {
                violations.add(id + ": " + uri + " cannot be read as JSON: " + e.getMessage());
                continue;
            }
            violations.addAll(stateNames(id, asl));
            violations.addAll(substitutions(machine, asl));
            violations.addAll(errorNames(id, asl));
            violations.addAll(retries(id, asl));
            violations.addAll(stateMachineActions(machine, asl));
        }
        return violations;
    }

    /** Each caller of the Data API uses a database role of its own, and nothing else (see {@link DatabaseSecretsRule}). */
    List<String> databaseSecrets() {
        List<FunctionArtifact> artifacts = new ArrayList<>();
        withArtifacts((function, artifact) -> artifacts.add(artifact));
        return new DatabaseSecretsRule(template, this, artifacts).violations();
    }

    List<Resource> stateMachineResources() {
        return template.resources().values().stream()
                .filter(resource -> SERVERLESS_STATE_MACHINE.equals(resource.type())).toList();
    }

    private static List<String> stateNames(String id, Map<String, Object> asl) {
        List<String> violations = new ArrayList<>();
        Map<String, Object> states = object(asl.get("States"));
        if (!states.containsKey(String.valueOf(asl.get("StartAt")))) {
            violations.add(id + ": StartAt " + asl.get("StartAt") + " is not a state");
        }
        states.forEach((name, value) -> {
            Map<String, Object> state = object(value);
            List<Object> targets = new ArrayList<>();
            targets.add(state.get("Next"));
            targets.add(state.get("Default"));
            list(state.get("Choices")).forEach(choice -> targets.add(object(choice).get("Next")));
            list(state.get("Catch")).forEach(katch -> targets.add(object(katch).get("Next")));
            for (Object target : targets) {
                if (target != null && !states.containsKey(String.valueOf(target))) {
                    violations.add(id + ": state " + name + " goes to " + target + ", which is not a state");
                }
            }
        });
        return violations;
    }

    private static List<String> substitutions(Resource machine, Map<String, Object> asl) {
        Set<String> used = new TreeSet<>();
        strings(asl).forEach(text -> {
            Matcher m = SUB_VARIABLE.matcher(text);
            while (m.find()) {
                used.add(m.group(1));
            }
        });
        Set<String> defined = new TreeSet<>(object(machine.properties().get("DefinitionSubstitutions")).keySet());
        List<String> violations = new ArrayList<>();
        for (String name : used) {
            if (!defined.contains(name)) {
                violations.add(machine.logicalId() + ": the definition uses ${" + name
                        + "} but DefinitionSubstitutions does not define it");
            }
        }
        for (String name : defined) {
            if (!used.contains(name)) {
                violations.add(machine.logicalId() + ": DefinitionSubstitutions defines " + name
                        + " but the definition never uses it");
            }
        }
        return violations;
    }

    private List<String> errorNames(String id, Map<String, Object> asl) {
        List<FunctionArtifact> withErrors = new ArrayList<>();
        withArtifacts((function, artifact) -> {
            if (artifact.hasPackage(ERRORS_PACKAGE)) {
                withErrors.add(artifact);
            }
        });
        List<String> violations = new ArrayList<>();
        if (withErrors.isEmpty()) {
            violations.add(id + ": no built function artifact holds " + ERRORS_PACKAGE + " to check error names against");
            return violations;
        }
        object(asl.get("States")).forEach((name, value) -> {
            Map<String, Object> state = object(value);
            for (String clause : List.of("Retry", "Catch")) {
                for (Object rule : list(state.get(clause))) {
                    for (Object error : list(object(rule).get("ErrorEquals"))) {
                        String errorName = String.valueOf(error);
                        if (SERVICE_ERROR_PREFIXES.stream().anyMatch(errorName::startsWith)) {
                            continue;
                        }
                        withErrors.stream().map(artifact -> artifact.errorClassProblem(errorName, ERRORS_PACKAGE))
                                .flatMap(Optional::stream).findFirst()
                                .ifPresent(problem -> violations.add(id + ": state " + name + " " + clause + " matches "
                                        + errorName + ", " + problem));
                    }
                }
            }
        });
        return violations;
    }

    private static List<String> retries(String id, Map<String, Object> asl) {
        List<String> violations = new ArrayList<>();
        object(asl.get("States")).forEach((name, value) -> {
            for (Object item : list(object(value).get("Retry"))) {
                Map<String, Object> retrier = object(item);
                for (Object error : list(retrier.get("ErrorEquals"))) {
                    if (!TRANSIENT_ERRORS.contains(String.valueOf(error))) {
                        violations.add(id + ": state " + name + " retries " + error + ", which is not a transient error "
                                + "(TRANSIENT_ERRORS): the same call fails the same way again");
                    }
                }
                int attempts = retrier.get("MaxAttempts") instanceof Number n ? n.intValue() : 3;
                if (attempts > MAX_RETRY_ATTEMPTS) {
                    violations.add(id + ": state " + name + " retries " + attempts + " times, more than "
                            + MAX_RETRY_ATTEMPTS);
                }
                if (!(retrier.get("MaxDelaySeconds") instanceof Number delay) || delay.intValue() > MAX_RETRY_DELAY_SECONDS) {
                    violations.add(id + ": state " + name + " backs off without a MaxDelaySeconds of at most "
                            + MAX_RETRY_DELAY_SECONDS);
                }
            }
        });
        return violations;
    }

    private List<String> stateMachineActions(Resource machine, Map<String, Object> asl) {
        String id = machine.logicalId();
        List<String> violations = new ArrayList<>();
        Set<String> expected = new TreeSet<>();
        Map<String, Object> substitutions = object(machine.properties().get("DefinitionSubstitutions"));
        object(asl.get("States")).forEach((name, value) -> {
            Map<String, Object> state = object(value);
            if (!"Task".equals(state.get("Type"))) {
                return;
            }
            String resource = String.valueOf(state.get("Resource")).replaceFirst("\\.waitForTaskToken$", "");
            Matcher sdk = Pattern.compile("arn:aws:states:::aws-sdk:(\\w+):(\\w+)").matcher(resource);
            if (sdk.matches()) {
                String action = sdk.group(2);
                expected.add(IAM_PREFIX_BY_SDK_SERVICE.getOrDefault(sdk.group(1), sdk.group(1)) + ":"
                        + Character.toUpperCase(action.charAt(0)) + action.substring(1));
            } else if (resource.equals("arn:aws:states:::lambda:invoke")) {
                expected.add("lambda:InvokeFunction");
                Object functionName = object(state.get("Parameters")).get("FunctionName");
                Matcher variable = SUB_VARIABLE.matcher(String.valueOf(functionName));
                Object target = variable.matches() ? substitutions.get(variable.group(1)) : null;
                if (!(target instanceof Map<?, ?> ref && (String.valueOf(ref.get("Ref")).endsWith(".Alias")
                        || template.resource(String.valueOf(ref.get("Ref"))).map(Resource::type)
                                .filter(LAMBDA_ALIAS::equals).isPresent()))) {
                    violations.add(id + ": state " + name + " invokes " + functionName + ", not a function alias "
                            + "(!Ref <Function>.Alias): SnapStart applies to published versions only");
                }
            } else {
                violations.add(id + ": state " + name + " uses " + resource + ", an integration these rules do not know");
            }
        });
        for (String action : new ArrayList<>(expected)) {
            expected.addAll(IMPLIED_ACTIONS.getOrDefault(service(action), Set.of()));
        }
        if (!list(object(machine.properties().get("Logging")).get("Destinations")).isEmpty()) {
            expected.addAll(LOG_DELIVERY_ACTIONS);
        }
        Grants grants = grants(machine);
        violations.addAll(grants.problems());
        Set<String> granted = new TreeSet<>();
        grants.grants().forEach(grant -> granted.add(grant.action()));
        for (String action : expected) {
            if (!granted.contains(action)) {
                violations.add(id + ": its tasks call " + action + " but the template does not grant it");
            }
        }
        for (String action : granted) {
            if (!expected.contains(action)) {
                violations.add(id + ": grants " + action + ", which none of its tasks calls");
            }
        }
        return violations;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }

    private static List<String> strings(Object value) {
        List<String> found = new ArrayList<>();
        if (value instanceof String text) {
            found.add(text);
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(v -> found.addAll(strings(v)));
        } else if (value instanceof List<?> items) {
            items.forEach(v -> found.addAll(strings(v)));
        }
        return found;
    }

    // --- reading policies ----------------------------------------------------------------------------------------

    /** One allowed action with the resources it is granted on, as written. */
    record Grant(String action, List<Object> resources) {
    }

    record Grants(List<Grant> grants, List<String> problems) {
    }

    /** The function's Allow statements; anything that cannot be checked (managed policies, templates) is a problem. */
    Grants grants(SamFunction function) {
        return grants(function.logicalId(), function.property("Role"), function.policies());
    }

    /** A state machine's Allow statements, read like a function's. */
    Grants grants(Resource stateMachine) {
        Object policies = stateMachine.properties().get("Policies");
        return grants(stateMachine.logicalId(), stateMachine.properties().get("Role"),
                policies instanceof List<?> list ? List.copyOf(list) : policies == null ? List.of() : List.of(policies));
    }

    private Grants grants(String id, Object role, List<Object> policyList) {
        List<Grant> grants = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (role != null) {
            problems.add(id + ": uses its own Role, whose permissions the template does not show; use Policies");
        }
        for (Object policy : policyList) {
            if (!(policy instanceof Map<?, ?> document) || !document.containsKey("Statement")) {
                problems.add(id + ": policy " + describe(policy) + " is a managed policy or SAM policy template; "
                        + "write inline statements so that every action can be checked");
                continue;
            }
            Object statements = document.get("Statement");
            for (Object statement : statements instanceof List<?> list ? list : List.of(statements)) {
                if (!(statement instanceof Map<?, ?> s)) {
                    problems.add(id + ": a policy statement is not a mapping");
                    continue;
                }
                if (!"Allow".equals(s.get("Effect"))) {
                    continue;
                }
                if (s.containsKey("NotAction") || s.containsKey("NotResource")) {
                    problems.add(id + ": NotAction/NotResource grant more than they name; list actions and resources");
                    continue;
                }
                Object actions = s.get("Action");
                Object resources = s.get("Resource");
                List<Object> resourceList = resources instanceof List<?> list ? List.copyOf(list)
                        : resources == null ? List.of() : List.of(resources);
                if (resourceList.isEmpty()) {
                    problems.add(id + ": a statement without Resource");
                }
                for (Object action : actions instanceof List<?> list ? list : List.of(String.valueOf(actions))) {
                    grants.add(new Grant(String.valueOf(action), resourceList));
                }
            }
        }
        return new Grants(grants, problems);
    }

    /**
     * The cluster whose RDS-managed master secret {@code value} is ({@code !GetAtt <Cluster>.MasterUserSecret.SecretArn}
     * of a cluster with {@code ManageMasterUserPassword: true}), if it is one.
     */
    Optional<String> managedMasterSecret(Object value) {
        if (value instanceof Map<?, ?> map && map.size() == 1 && map.get("Fn::GetAtt") instanceof List<?> getAtt
                && getAtt.size() == 2 && MANAGED_MASTER_SECRET.contains(String.valueOf(getAtt.get(1)))) {
            String id = String.valueOf(getAtt.get(0));
            return template.resource(id).filter(r -> "AWS::RDS::DBCluster".equals(r.type()))
                    .filter(r -> Boolean.TRUE.equals(r.properties().get("ManageMasterUserPassword"))
                            || "true".equals(String.valueOf(r.properties().get("ManageMasterUserPassword"))))
                    .map(Resource::logicalId);
        }
        return Optional.empty();
    }

    /** What a Resource value refers to: resources of this template, other references, and whether it has a '*'. */
    record Scope(Set<String> resourceIds, Set<String> otherReferences, boolean wildcard) {
    }

    Scope scope(Object resource) {
        Set<String> ids = new TreeSet<>();
        Set<String> others = new TreeSet<>();
        boolean[] wildcard = {false};
        collect(resource, ids, others, wildcard);
        return new Scope(ids, others, wildcard[0]);
    }

    private void collect(Object value, Set<String> ids, Set<String> others, boolean[] wildcard) {
        if (value instanceof String text) {
            wildcard[0] |= text.contains("*");
        } else if (value instanceof Map<?, ?> map && map.size() == 1) {
            String function = String.valueOf(map.keySet().iterator().next());
            Object argument = map.values().iterator().next();
            switch (function) {
                case "Ref" -> reference(String.valueOf(argument), ids, others);
                case "Fn::GetAtt" -> reference(String.valueOf(((List<?>) argument).getFirst()), ids, others);
                case "Fn::Sub" -> {
                    String text = String.valueOf(argument instanceof List<?> list ? list.getFirst() : argument);
                    Map<?, ?> variables = argument instanceof List<?> list && list.size() > 1
                            && list.get(1) instanceof Map<?, ?> vars ? vars : Map.of();
                    Matcher m = SUB_VARIABLE.matcher(text);
                    while (m.find()) {
                        String name = m.group(1).strip();
                        if (variables.containsKey(name)) {
                            collect(variables.get(name), ids, others, wildcard);
                        } else {
                            reference(name.contains(".") && !name.startsWith("AWS::")
                                    ? name.substring(0, name.indexOf('.')) : name, ids, others);
                        }
                    }
                    wildcard[0] |= SUB_VARIABLE.matcher(text).replaceAll("").contains("*");
                }
                default -> collect(argument, ids, others, wildcard);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(v -> collect(v, ids, others, wildcard));
        } else if (value instanceof List<?> list) {
            list.forEach(v -> collect(v, ids, others, wildcard));
        }
    }

    private void reference(String name, Set<String> ids, Set<String> others) {
        if (name.startsWith("AWS::")) {
            return; // region, account, partition: this stack's own
        }
        if (name.endsWith(".Alias") || name.endsWith(".Version")) {
            name = name.substring(0, name.lastIndexOf('.')); // SAM's AutoPublishAlias resources of a function
        }
        if (template.resource(name).isPresent()) {
            ids.add(name);
        } else {
            others.add(name);
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private interface FunctionCheck {
        void check(SamFunction function, FunctionArtifact artifact);
    }

    /** Runs a check for every function whose artifact exists (the handlers rule reports the missing ones). */
    private void withArtifacts(FunctionCheck check) {
        for (SamFunction function : template.functions()) {
            function.codeUri().flatMap(artifactByCodeUri).ifPresent(artifact -> check.check(function, artifact));
        }
    }

    private static List<String> apiRouteKeys(SamFunction function) {
        List<String> keys = new ArrayList<>();
        for (HttpApiRoute route : function.httpApiRoutes()) {
            keys.add(route.routeKey());
        }
        function.events().forEach((name, event) -> {
            if (event instanceof Map<?, ?> e && "Api".equals(e.get("Type"))
                    && e.get("Properties") instanceof Map<?, ?> p) {
                keys.add(String.valueOf(p.get("Method")).toUpperCase(Locale.ROOT) + " " + p.get("Path"));
            }
        });
        return keys;
    }

    private static String service(String action) {
        int colon = action.indexOf(':');
        return colon < 0 ? action : action.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    private static String describe(Object value) {
        String text = String.valueOf(value);
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
