package dev.approvals.local.stack;

import dev.approvals.local.apigateway.DevSignIn;
import dev.approvals.local.apigateway.Route;
import dev.approvals.local.dataapi.postgres.EmbeddedPostgres;
import dev.approvals.local.lambda.FunctionSpec;
import dev.approvals.local.lambda.LambdaFunction;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What {@code approvals-local run} prints once the stack is up: where everything is and how to call it. */
public final class Banner {

    /** What the banner's agent proposes. */
    static final String PROPOSAL = "{\"actionType\": \"refund\", \"actionPayload\": {\"orderId\": \"A-1042\", "
            + "\"amount\": 42, \"currency\": \"EUR\"}}";

    private static final DateTimeFormatter EXPIRY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Banner() {
    }

    public static List<String> lines(LocalStack stack, List<LocalStack.SeededApproval> seeded) {
        List<String> out = new ArrayList<>();
        endpoints(out, stack);
        functions(out, stack);
        identity(out, stack);
        seeded(out, seeded);
        tryIt(out, stack, seeded);
        out.add("");
        out.add("Logs: [http] and [lambda] lines are requests; [Function#n] lines are each function process's output,");
        out.add("with a REPORT line per invocation as Lambda writes it. Docs: docs/local-stack.md");
        out.add("Ready.");
        return out;
    }

    /** Where each stand-in listens, the routes, the database roles and PostgreSQL. */
    private static void endpoints(List<String> out, LocalStack stack) {
        String http = stack.httpEndpoint().toString();
        String lambda = stack.lambdaEndpoint().toString();
        var api = stack.dataApi();
        out.add("");
        out.add("Approvals local stack is running. Ctrl-C stops all of it.");
        out.add("");
        out.add("  HTTP API        " + http + "   (routes from " + stack.config().repositoryRoot()
                .relativize(stack.config().template()) + ")");
        for (Route route : stack.routes()) {
            out.add(String.format(Locale.ROOT, "                    %-32s -> %s%s", route.routeKey(), route.function(),
                    route.jwtAuthorizer() == null ? "" : "  [JWT authorizer " + route.jwtAuthorizer() + "]"));
        }
        out.add("  Inbox page      " + http + "/   (open it in a browser; the dev sign-in offers "
                + DevSignIn.IDENTITIES.stream().map(DevSignIn.Identity::name).collect(Collectors.joining(", ")) + ")");
        out.add("  Lambda          " + lambda + "   (Invoke API, like `sam local start-lambda`)");
        out.add("  Data API        " + api.endpoint() + "   cluster " + api.clusterArn());
        out.add("                                          secret  " + api.secretArn() + ", database "
                + api.databaseName());
        stack.databaseRoles().entrySet().stream().sorted(java.util.Map.Entry.comparingByValue()).forEach(role ->
                out.add(String.format(Locale.ROOT, "                  role %-19s secret  %s", role.getValue(),
                        role.getKey())));
        out.add("  Step Functions  " + stack.stepFunctions().endpoint() + "   (SendTaskSuccess/Failure/Heartbeat)");
        out.add("  EventBridge     " + stack.events().endpoint() + "   (PutEvents; " + stack.events().rules().size()
                + " rules, " + stack.events().schedules().size() + " schedules; watch events: curl "
                + stack.events().endpoint() + "/_local/events)");
        String credentials = api.postgres() instanceof EmbeddedPostgres
                ? " (user " + api.postgres().adminUser() + ", password " + api.postgres().adminPassword() + ")" : "";
        out.add("  PostgreSQL      " + api.jdbcUrl(api.databaseName()) + credentials);
    }

    /** Each function: handler, limits, pool and its running environments. */
    private static void functions(List<String> out, LocalStack stack) {
        out.add("");
        out.add("  Functions (Java " + Runtime.version() + " under the AWS Lambda RIC " + stack.runtime().ricVersion()
                + ", environment from the template):");
        for (LambdaFunction function : stack.functions().values()) {
            FunctionSpec spec = function.spec();
            var settings = function.settings();
            out.add(String.format(Locale.ROOT, "    %-16s %s  timeout %d s, %d MB, %s, pool %d..%d", spec.name(),
                    spec.handler(), spec.timeout().toSeconds(), spec.memorySizeMb(), spec.runtime(),
                    settings.minEnvironments(), settings.maxEnvironments()));
            var environments = function.environments();
            if (environments.isEmpty()) {
                out.add("                     no environment yet: the first invocation cold-starts one");
            }
            for (var environment : environments) {
                out.add(String.format(Locale.ROOT, "                     %s pid %d, Init Duration %.2f ms",
                        environment.label(), environment.pid(), environment.initDurationMs()));
            }
        }
    }

    /** The JWT stand-in and the dev token. */
    private static void identity(List<String> out, LocalStack stack) {
        out.add("");
        out.add("Identity: a stand-in for the API's JWT authorizer. The token in \"Authorization: Bearer <jwt>\" is");
        out.add("DECODED, NOT VERIFIED (no signature, issuer or audience check; exp and nbf are checked) and its claims");
        out.add("reach the function as requestContext.authorizer.jwt.claims. A malformed or expired token gets 401");
        out.add("{\"message\":\"Unauthorized\"} as on AWS. A request WITHOUT a token reaches the function with no");
        out.add("authorizer block, and the function answers 401; on AWS the authorizer itself would answer 401.");
        out.add("Dev token (unsigned, alg none; sub " + LocalStack.DEV_SUBJECT + ", cognito:groups "
                + LocalStack.DEV_GROUPS + ", valid until " + EXPIRY.format(stack.devTokenExpiry())
                + "; more: bin/approvals-local token --help):");
        out.add(stack.devToken());
        out.add("");
    }

    /** The approvals --seed put in. */
    private static void seeded(List<String> out, List<LocalStack.SeededApproval> seeded) {
        if (seeded.isEmpty()) {
            out.add("No approvals seeded (start with --seed for the sample events' approvals and a few demo ones).");
        } else {
            out.add("Seeded approvals:");
            for (LocalStack.SeededApproval approval : seeded) {
                out.add(String.format(Locale.ROOT, "  %s  %s, version %d  %-14s %s", approval.id(), approval.status(),
                        approval.version(), approval.actionType(), approval.source()));
            }
        }
    }

    /** A walk through the API with curl, to paste into a shell. */
    private static void tryIt(List<String> out, LocalStack stack, List<LocalStack.SeededApproval> seeded) {
        String http = stack.httpEndpoint().toString();
        String lambda = stack.lambdaEndpoint().toString();
        out.add("");
        String rejectId = pick(seeded, "reject-http").orElse("<approval-id>");
        String auth = " -H \"Authorization: Bearer $TOKEN\"";
        String read = "curl -s -i " + http + "/approvals/$ID" + auth;
        String approve = "curl -s -i -X POST " + http + "/approvals/$ID/approve -H 'If-Match: \"1\"'" + auth
                + " -H 'Content-Type: application/json' -d '{\"reason\": \"Looks right\"}'";
        out.add("Try it: paste these lines in order into one shell (each comment says what to expect):");
        // The agent proposes with its own token: nobody approves its own request (self-approval is refused).
        String agent = dev.approvals.local.apigateway.JwtTokens.unsigned(dev.approvals.local.apigateway.JwtTokens
                .devClaims("agent-7", "agent-7", java.util.List.of(), LocalStack.LOCAL_ISSUER,
                        LocalStack.LOCAL_CLIENT_ID, java.time.Instant.now(), java.time.Duration.ofHours(24)));
        out.add("  TOKEN='" + stack.devToken() + "'; AGENT='" + agent + "'");
        out.add("  # 1. an agent proposes an action: 201 with Location and ETag \"1\"; ID keeps the new id. Again: 200,");
        out.add("  #    Idempotent-Replayed, the same id (the Idempotency-Key makes a retry safe)");
        out.add("  R=$(curl -s -i -X POST " + http + "/approvals -H \"Authorization: Bearer $AGENT\""
                + " -H 'Content-Type: application/json' -H 'Idempotency-Key: demo-refund-A-1042'"
                + " -d '" + PROPOSAL + "'); echo \"$R\"; ID=$(echo \"$R\" | sed -n"
                + " 's/^[Ll]ocation: .*\\/\\([0-9a-f-]\\{36\\}\\).*/\\1/p'); echo \"ID=$ID\"");
        out.add("  # 2. read it: 200 with ETag \"1\", the version to decide on");
        out.add("  " + read);
        out.add("  # 3. read it again only if it changed: 304 Not Modified");
        out.add("  curl -s -i " + http + "/approvals/$ID -H 'If-None-Match: \"1\"'" + auth);
        out.add("  # 4. approve the version you read: 200 with ETag \"2\"");
        out.add("  " + approve);
        out.add("  # 5. the same again: 409 already-decided (with a new If-Match after a re-read, had it been a conflict)");
        out.add("  " + approve);
        out.add("  # 6. read it again: ETag \"2\", approved");
        out.add("  " + read);
        out.add("  # 7. list what is still pending: it is not there any more");
        out.add("  curl -s -i '" + http + "/approvals?status=pending&limit=5'" + auth);
        out.add("  # without a token: 401 (from the function)");
        out.add("  curl -s -i " + http + "/approvals/$ID");
        out.add("  # reject a seeded approval");
        out.add("  curl -s -i -X POST " + http + "/approvals/" + rejectId + "/reject" + auth
                + " -H 'Content-Type: application/json' -d '{\"expectedVersion\": 1, \"reason\": \"Not this one\"}'");
        out.add("  # invoke a function directly, as a Step Functions task does (any credentials will do)");
        out.add("  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=" + stack.config().region()
                + " aws lambda invoke --endpoint-url " + lambda + " --function-name ApproveFunction:workflow"
                + " --payload fileb://" + eventFile(stack, "approve-direct.json") + " /tmp/out.json && cat /tmp/out.json");
    }

    /** Relative to the repository when that is the working directory, absolute otherwise. */
    private static String eventFile(LocalStack stack, String name) {
        java.nio.file.Path root = stack.config().repositoryRoot();
        java.nio.file.Path file = root.resolve("events").resolve(name);
        return java.nio.file.Path.of("").toAbsolutePath().equals(root) ? root.relativize(file).toString()
                : file.toString();
    }

    private static Optional<String> pick(List<LocalStack.SeededApproval> seeded, String eventPrefix) {
        return seeded.stream().filter(s -> s.source().startsWith("events/" + eventPrefix)).findFirst()
                .map(s -> s.id().toString());
    }
}
