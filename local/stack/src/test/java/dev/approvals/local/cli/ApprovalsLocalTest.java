package dev.approvals.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

/** Usage: help for every command, and exit code 2 with a clear message for bad command lines. */
class ApprovalsLocalTest {

    record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ApprovalsLocal.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void help_shouldListTheCommandsAndExitZero() {
        Run run = run("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: approvals-local").contains("run").contains("data-api")
                .contains("migrate").contains("token");
    }

    @Test
    void dataApiHelp_shouldDescribeEveryOption() {
        Run run = run("data-api", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--port", "--database-url", "--migrate", "--fault-resuming",
                "--fault-unavailable-before", "--fault-unavailable-after-commit", "--fault-statement-timeout",
                "--latency", "APPROVALS_DATABASE_URL", "Default: 8432");
    }

    @Test
    void migrateHelp_shouldDescribeEveryOption() {
        Run run = run("migrate", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--endpoint-url", "--resource-arn", "--secret-arn", "--database",
                "--migrations");
        assertThat(run("help", "migrate").out()).contains("--resource-arn");
    }

    @Test
    void version_shouldPrintAndExitZero() {
        Run run = run("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("approvals-local");
    }

    @Test
    void unknownOption_shouldExitTwoNamingIt() {
        Run run = run("data-api", "--bogus");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option: '--bogus'").contains("Usage: approvals-local data-api");
    }

    @Test
    void unknownCommandOrNone_shouldExitTwo() {
        assertThat(run("serve").exitCode()).isEqualTo(2);
        Run none = run();
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("Missing command");
    }

    @Test
    void migrateWithoutArns_shouldExitTwoNamingTheMissingOptions() {
        Run run = run("migrate", "--endpoint-url", "http://127.0.0.1:1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required options").contains("--resource-arn").contains("--secret-arn");
    }

    @Test
    void badValues_shouldExitTwoWithoutStartingAnything() {
        Run duration = run("data-api", "--latency", "soon");
        assertThat(duration.exitCode()).isEqualTo(2);
        assertThat(duration.err()).contains("'soon' is not a duration");
        Run port = run("data-api", "--port", "70000");
        assertThat(port.exitCode()).isEqualTo(2);
        assertThat(port.err()).contains("Ports must be between 0 and 65535");
        Run number = run("data-api", "--fault-resuming", "many");
        assertThat(number.exitCode()).isEqualTo(2);
        Run negative = run("data-api", "--fault-resuming", "-1");
        assertThat(negative.exitCode()).isEqualTo(2);
        Run url = run("data-api", "--database-url", "postgres://x");
        assertThat(url.exitCode()).isEqualTo(2);
        assertThat(url.err()).contains("--database-url must be a PostgreSQL JDBC URL");
        Run mode = run("data-api", "--records-updated-for-result-sets", "sometimes");
        assertThat(mode.exitCode()).isEqualTo(2);
        Run dir = run("migrate", "--resource-arn", "arn:aws:rds:us-east-1:1:cluster:c", "--secret-arn",
                "arn:aws:secretsmanager:us-east-1:1:secret:s", "--migrations", "/no/such/dir");
        assertThat(dir.exitCode()).isEqualTo(2);
        assertThat(dir.err()).contains("no such directory");
    }

    @Test
    void durations_shouldAcceptShortAndIsoForms() {
        DurationConverter converter = new DurationConverter();
        assertThat(converter.convert("250ms").toMillis()).isEqualTo(250);
        assertThat(converter.convert("45s").toSeconds()).isEqualTo(45);
        assertThat(converter.convert("3m").toMinutes()).isEqualTo(3);
        assertThat(converter.convert("24h").toHours()).isEqualTo(24);
        assertThat(converter.convert("PT2M").toMinutes()).isEqualTo(2);
    }

    @Test
    void runHelp_shouldDescribeEveryOptionWithSamsDefaultPorts() {
        Run run = run("run", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--http-port", "Default: 3000", "--lambda-port", "Default: 3001",
                "--data-api-port", "--step-functions-port", "--events-port", "Default: 8084", "--schedule-speedup",
                "--seed", "--pool-size", "--prewarm", "--database-url",
                "--parameter-overrides", "--integration-timeout");
    }

    @Test
    void runWithBadValues_shouldExitTwoWithoutStartingAnything() {
        assertThat(run("run", "--http-port", "70000").err()).contains("Ports must be between 0 and 65535");
        Run pool = run("run", "--pool-size", "1", "--prewarm", "2");
        assertThat(pool.exitCode()).isEqualTo(2);
        assertThat(pool.err()).contains("--prewarm between 0 and --pool-size");
        Run override = run("run", "--parameter-overrides", "NoEquals");
        assertThat(override.exitCode()).isEqualTo(2);
        assertThat(override.err()).contains("NAME=VALUE");
        Run url = run("run", "--database-url", "mysql://x");
        assertThat(url.exitCode()).isEqualTo(2);
        assertThat(url.err()).contains("--database-url must be a PostgreSQL JDBC URL");
    }

    @Test
    void portsInUse_shouldAllBeNamedAtOnce_eachWithTheOptionThatChangesIt() throws Exception {
        try (ServerSocket one = taken(); ServerSocket two = taken()) {
            Run run = run("run", "--http-port", "" + one.getLocalPort(), "--lambda-port", "" + two.getLocalPort(),
                    "--data-api-port", "0", "--step-functions-port", "0", "--events-port", "0");

            assertThat(run.exitCode()).isNotZero();
            assertThat(run.err()).contains("Port " + one.getLocalPort() + " is in use", "pass --http-port",
                    "Port " + two.getLocalPort() + " is in use", "pass --lambda-port");
        }
    }

    @Test
    void dataApiPortInUse_shouldNameThePortOption() throws Exception {
        try (ServerSocket socket = taken()) {
            Run run = run("data-api", "--port", "" + socket.getLocalPort());

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains("Port " + socket.getLocalPort() + " is in use", "pass --port");
        }
    }

    private static ServerSocket taken() throws java.io.IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
        return socket;
    }

    @Test
    void token_shouldPrintADecodableDevTokenWithTheClaimsAsked() throws Exception {
        Run run = run("token", "--sub", "bob", "--groups", "approvers,auditors", "--claim", "email=bob@example.com");
        assertThat(run.exitCode()).isZero();

        var jwt = dev.approvals.local.apigateway.JwtTokens.decode(run.out().strip(), java.time.Instant.now());

        assertThat(jwt.claims()).containsEntry("sub", "bob").containsEntry("email", "bob@example.com")
                .containsEntry("cognito:groups", java.util.List.of("approvers", "auditors"))
                .as("the username follows the subject").containsEntry("username", "bob");
        var named = dev.approvals.local.apigateway.JwtTokens.decode(run("token", "--sub", "bob", "--username", "Bob B")
                .out().strip(), java.time.Instant.now());
        assertThat(named.claims()).containsEntry("sub", "bob").containsEntry("username", "Bob B");
        var defaults = dev.approvals.local.apigateway.JwtTokens.decode(run("token").out().strip(), java.time.Instant.now());
        assertThat(defaults.claims()).containsEntry("sub", "dev-alice").containsEntry("username", "alice");
        Run expired = run("token", "--valid-for", "PT-1H");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.approvals.local.apigateway.JwtTokens.decode(
                expired.out().strip(), java.time.Instant.now())).hasMessageContaining("expired");
    }
}
