package dev.approvals.local.stack;

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

/** What {@code approvals-local run} prints once the stack is up: where everything is and how to call it. */
public final class Banner {

    private static final DateTimeFormatter EXPIRY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Banner() {
    }

    public static List<String> lines(LocalStack stack, List<LocalStack.SeededApproval> seeded) {
        List<String> out = new ArrayList<>();
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
        out.add("  Lambda          " + lambda + "   (Invoke API, like `sam local start-lambda`)");
        out.add("  Data API        " + api.endpoint() + "   cluster " + api.clusterArn());
        out.add("                                          secret  " + api.secretArn() + ", database "
                + api.databaseName());
        out.add("  Step Functions  " + stack.stepFunctions().endpoint() + "   (SendTaskSuccess/Failure/Heartbeat)");
        String credentials = api.postgres() instanceof EmbeddedPostgres
                ? " (user " + api.postgres().adminUser() + ", password " + api.postgres().adminPassword() + ")" : "";
        out.add("  PostgreSQL      " + api.jdbcUrl(api.databaseName()) + credentials);
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
        if (seeded.isEmpty()) {
            out.add("No approvals seeded (start with --seed for the sample events' approvals and a few demo ones).");
        } else {
            out.add("Seeded approvals:");
            for (LocalStack.SeededApproval approval : seeded) {
                out.add(String.format(Locale.ROOT, "  %s  %s, version %d  %-14s %s", approval.id(), approval.status(),
                        approval.version(), approval.actionType(), approval.source()));
            }
        }
        out.add("");
        String approveId = pick(seeded, "approve-http").orElse("<approval-id>");
        String rejectId = pick(seeded, "reject-http").orElse("<another-approval-id>");
        out.add("Try it (paste as is):");
        out.add("  # approve: 200 with the new version (2)");
        out.add("  " + curlApprove(http, approveId, stack.devToken()));
        out.add("  # the same again: 409, already decided");
        out.add("  " + curlApprove(http, approveId, stack.devToken()));
        out.add("  # without a token: 401 (from the function)");
        out.add("  " + curlApprove(http, approveId, null));
        out.add("  # reject another one");
        out.add("  " + curl(http, "/approvals/" + rejectId + "/reject", stack.devToken(),
                "{\"expectedVersion\": 1, \"reason\": \"Not this one\"}"));
        out.add("  # invoke a function directly, as a Step Functions task does (any credentials will do)");
        out.add("  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=" + stack.config().region()
                + " aws lambda invoke --endpoint-url " + lambda + " --function-name ApproveFunction"
                + " --payload fileb://" + eventFile(stack, "approve-direct.json") + " /tmp/out.json && cat /tmp/out.json");
        out.add("");
        out.add("Logs: [http] and [lambda] lines are requests; [Function#n] lines are each function process's output,");
        out.add("with a REPORT line per invocation as Lambda writes it. Docs: docs/local-stack.md");
        out.add("Ready.");
        return out;
    }

    /** The curl line that approves {@code id} at version 1; without a token when {@code token} is null. */
    public static String curlApprove(String http, String id, String token) {
        return curl(http, "/approvals/" + id + "/approve", token,
                "{\"expectedVersion\": 1, \"reason\": \"Looks right\"}");
    }

    private static String curl(String http, String path, String token, String body) {
        return "curl -s -i -X POST " + http + path
                + (token == null ? "" : " -H 'Authorization: Bearer " + token + "'")
                + " -H 'Content-Type: application/json' -d '" + body + "'";
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
