package dev.approvals.local.cli;

import dev.approvals.local.apigateway.JwtTokens;
import dev.approvals.local.stack.LocalStack;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code approvals-local token}: an unsigned dev JWT for the local stack's HTTP API. */
@Command(name = "token",
        mixinStandardHelpOptions = true,
        versionProvider = Versions.class,
        sortOptions = false,
        description = {
            "Prints an unsigned dev JWT (alg none) for 'Authorization: Bearer <token>' on the local HTTP API.",
            "",
            "The local stack decodes tokens without verifying them: any token with these claims is accepted,",
            "and the claims reach the function as API Gateway's JWT authorizer would pass them. Never valid on AWS.",
            ""})
public final class TokenCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--sub", paramLabel = "SUBJECT", defaultValue = LocalStack.DEV_SUBJECT,
            description = "The caller (the functions' actor). Default: ${DEFAULT-VALUE}.")
    String subject;

    @Option(names = "--username", paramLabel = "NAME",
            description = "Default: the subject (" + LocalStack.DEV_USERNAME + " for the default subject).")
    String username;

    @Option(names = "--groups", paramLabel = "GROUP", split = ",", defaultValue = "approvers",
            description = "cognito:groups (comma separated; '' for none). Default: ${DEFAULT-VALUE}.")
    List<String> groups = new ArrayList<>();

    @Option(names = "--scope", paramLabel = "SCOPE", split = ",",
            defaultValue = "approvals/read,approvals/propose,approvals/decide",
            description = "OAuth scopes of the access token (comma separated; '' for none, which the scoped routes"
                    + " refuse with 403). Default: ${DEFAULT-VALUE}.")
    List<String> scopes = new ArrayList<>();

    @Option(names = "--id-token", description = "Mint an ID token (token_use id, aud, no scope) instead: every"
            + " route refuses it, as on AWS.")
    boolean idToken;

    @Option(names = "--claim", paramLabel = "NAME=VALUE", description = "Any other claim (text), repeatable.")
    List<String> claims = new ArrayList<>();

    @Option(names = "--valid-for", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
            description = "Lifetime from now (exp); PT-1H makes an expired token. Default: ${DEFAULT-VALUE}.")
    Duration validFor;

    @Override
    public Integer call() {
        List<String> groupList = groups.stream().filter(g -> !g.isBlank()).toList();
        // the username is derived from the subject unless given: --sub bob is bob, not the dev user alice
        String name = username != null ? username
                : subject.equals(LocalStack.DEV_SUBJECT) ? LocalStack.DEV_USERNAME : subject;
        List<String> scopeList = scopes.stream().filter(s -> !s.isBlank()).toList();
        Map<String, Object> all = new LinkedHashMap<>(idToken
                ? JwtTokens.devIdTokenClaims(subject, name, groupList, LocalStack.LOCAL_ISSUER,
                        LocalStack.LOCAL_CLIENT_ID, Instant.now(), validFor)
                : JwtTokens.devClaims(subject, name, groupList, scopeList, LocalStack.LOCAL_ISSUER,
                        LocalStack.LOCAL_CLIENT_ID, Instant.now(), validFor));
        for (String claim : claims) {
            int eq = claim.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--claim takes NAME=VALUE, not '"
                        + claim + "'");
            }
            all.put(claim.substring(0, eq), claim.substring(eq + 1));
        }
        spec.commandLine().getOut().println(JwtTokens.unsigned(all));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
