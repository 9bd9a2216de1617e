package dev.approvals.local.dataapi;

import static dev.approvals.local.dataapi.Sql.jdbc;
import static dev.approvals.local.dataapi.Sql.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A second, independent client: the AWS CLI ({@code aws rds-data ... --endpoint-url}), which is botocore, not the
 * Java SDK. Skipped, with the reason printed, where {@code aws} is not installed.
 */
class AwsCliIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalDataApi api;
    private static String db;
    private static Path aws;

    record Result(int exitCode, String stdout, String stderr) {
    }

    @BeforeAll
    static void setUp() {
        aws = findAws();
        if (aws == null) {
            System.out.println("[AwsCliIT] skipped: no 'aws' command on PATH (install the AWS CLI to run it)");
        }
        assumeTrue(aws != null, "the AWS CLI ('aws') is not on PATH");
        api = LocalDataApi.shared();
        db = api.createDatabase("awscli");
        jdbc(api, db, "CREATE TABLE note (id uuid PRIMARY KEY, body text, created timestamptz DEFAULT now())");
    }

    private static Path findAws() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "aws");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static Result aws(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(aws.toString(), "rds-data"));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", api.endpoint().toString(), "--output", "json"));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_DEFAULT_REGION", api.region());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.remove("AWS_PROFILE");
        Path out = Files.createTempFile("aws-out", ".json");
        Path err = Files.createTempFile("aws-err", ".txt");
        try {
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("aws did not finish: " + command);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void executeStatement_withParametersAndMetadata_shouldPrintTheRecords() throws Exception {
        String id = "0b5c1f44-8f0b-4d9a-a1a0-2f4f3c2f9e10";
        Result insert = aws("execute-statement", "--resource-arn", api.clusterArn(), "--secret-arn", api.secretArn(),
                "--database", db, "--sql", "INSERT INTO note (id, body) VALUES (:id, :body)",
                "--parameters", "[{\"name\":\"id\",\"value\":{\"stringValue\":\"" + id + "\"},\"typeHint\":\"UUID\"},"
                        + "{\"name\":\"body\",\"value\":{\"stringValue\":\"from the CLI\"}}]");
        assertThat(insert.exitCode()).as(insert.stderr()).isZero();
        assertThat(JSON.readTree(insert.stdout()).get("numberOfRecordsUpdated").asInt()).isEqualTo(1);

        Result select = aws("execute-statement", "--resource-arn", api.clusterArn(), "--secret-arn", api.secretArn(),
                "--database", db, "--include-result-metadata",
                "--sql", "SELECT id, body, 42::int8 AS answer, NULL::text AS nothing FROM note WHERE id = :id::uuid",
                "--parameters", "[{\"name\":\"id\",\"value\":{\"stringValue\":\"" + id + "\"}}]");
        assertThat(select.exitCode()).as(select.stderr()).isZero();
        JsonNode response = JSON.readTree(select.stdout());
        JsonNode row = response.at("/records/0");
        assertThat(row.get(0).get("stringValue").asText()).isEqualTo(id);
        assertThat(row.get(1).get("stringValue").asText()).isEqualTo("from the CLI");
        assertThat(row.get(2).get("longValue").asLong()).isEqualTo(42);
        assertThat(row.get(3).get("isNull").asBoolean()).isTrue();
        assertThat(response.at("/columnMetadata/0/typeName").asText()).isEqualTo("uuid");
        assertThat(response.at("/columnMetadata/1/nullable").asInt()).isEqualTo(1);
    }

    @Test
    void transaction_shouldBeginExecuteAndCommitThroughTheCli() throws Exception {
        Result begin = aws("begin-transaction", "--resource-arn", api.clusterArn(), "--secret-arn", api.secretArn(),
                "--database", db);
        assertThat(begin.exitCode()).as(begin.stderr()).isZero();
        String tx = JSON.readTree(begin.stdout()).get("transactionId").asText();
        Result insert = aws("execute-statement", "--resource-arn", api.clusterArn(), "--secret-arn", api.secretArn(),
                "--transaction-id", tx, "--sql",
                "INSERT INTO note (id, body) VALUES ('5d7e1c2a-3b4c-4d5e-8f90-a1b2c3d4e5f6', 'in a transaction')");
        assertThat(insert.exitCode()).as(insert.stderr()).isZero();
        assertThat(query(api, db, "SELECT count(*) FROM note WHERE body = 'in a transaction'")).containsExactly("0");
        Result commit = aws("commit-transaction", "--resource-arn", api.clusterArn(), "--secret-arn",
                api.secretArn(), "--transaction-id", tx);
        assertThat(commit.exitCode()).as(commit.stderr()).isZero();
        assertThat(JSON.readTree(commit.stdout()).get("transactionStatus").asText())
                .isEqualTo("Transaction Committed");
        assertThat(query(api, db, "SELECT count(*) FROM note WHERE body = 'in a transaction'")).containsExactly("1");
    }

    @Test
    void sqlError_shouldSurfaceAsDatabaseErrorExceptionInTheCli() throws Exception {
        Result result = aws("execute-statement", "--resource-arn", api.clusterArn(), "--secret-arn", api.secretArn(),
                "--database", db, "--sql", "SELEKT 1");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("DatabaseErrorException").contains("syntax error at or near \"SELEKT\"")
                .contains("SQLState: 42601");
    }

    @Test
    void uuidWithoutTypeHint_shouldFailInTheCliToo() throws Exception {
        Result result = aws("execute-statement", "--resource-arn", api.clusterArn(), "--secret-arn", api.secretArn(),
                "--database", db, "--sql", "SELECT * FROM note WHERE id = :id",
                "--parameters", "[{\"name\":\"id\",\"value\":{\"stringValue\":\"0b5c1f44-8f0b-4d9a-a1a0-2f4f3c2f9e10\"}}]");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("DatabaseErrorException").contains("operator does not exist: uuid = text");
    }

    @Test
    void timestampHintWithAnIsoValue_shouldBeTheParseErrorInTheCliToo() throws Exception {
        Result result = aws("execute-statement", "--resource-arn", api.clusterArn(), "--secret-arn", api.secretArn(),
                "--database", db, "--sql", "SELECT :ts",
                "--parameters", "[{\"name\":\"ts\",\"value\":{\"stringValue\":\"2022-01-01T00:00:00.123Z\"},"
                        + "\"typeHint\":\"TIMESTAMP\"}]");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("(DatabaseErrorException)")
                .contains("Parse Error for TimeStamp: input contains invalid characters");
    }

    @Test
    void microsecondTimestampsAndRealArrays_shouldPrintAsThePostgresValues() throws Exception {
        Result result = aws("execute-statement", "--resource-arn", api.clusterArn(), "--secret-arn", api.secretArn(),
                "--database", db, "--sql",
                "SELECT '2022-01-01 00:00:00.123456'::timestamp, '2020-09-17 13:49:32.78018+00'::timestamptz,"
                        + " '{3.14,2.71}'::real[]");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonNode row = JSON.readTree(result.stdout()).at("/records/0");
        assertThat(row.get(0).get("stringValue").asText()).isEqualTo("2022-01-01 00:00:00.123456");
        assertThat(row.get(1).get("stringValue").asText()).isEqualTo("2020-09-17 13:49:32.78018");
        assertThat(row.get(2).at("/arrayValue/doubleValues").toString()).isEqualTo("[3.14,2.71]");
    }
}
