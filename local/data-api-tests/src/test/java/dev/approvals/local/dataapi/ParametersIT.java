package dev.approvals.local.dataapi;

import static dev.approvals.local.dataapi.Sql.blob;
import static dev.approvals.local.dataapi.Sql.bool;
import static dev.approvals.local.dataapi.Sql.doubleValue;
import static dev.approvals.local.dataapi.Sql.execute;
import static dev.approvals.local.dataapi.Sql.hinted;
import static dev.approvals.local.dataapi.Sql.longValue;
import static dev.approvals.local.dataapi.Sql.nullValue;
import static dev.approvals.local.dataapi.Sql.query;
import static dev.approvals.local.dataapi.Sql.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.rdsdata.model.ArrayValue;
import software.amazon.awssdk.services.rdsdata.model.BadRequestException;
import software.amazon.awssdk.services.rdsdata.model.DatabaseErrorException;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.RdsDataException;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;
import software.amazon.awssdk.services.rdsdata.model.TypeHint;

/** Named parameters, binding types and type hints, as the Data API v2 applies them. */
class ParametersIT {

    private static final String ID = "6f1c8f0e-1d2b-4c3a-9e8f-0a1b2c3d4e5f";

    private static EmulatorDatabase emulator;

    @BeforeAll
    static void setUp() {
        emulator = EmulatorDatabase.create("params", """
                CREATE TABLE typed (
                    u uuid PRIMARY KEY, d date, t time, ts timestamp, tz timestamptz, n numeric(12,3), j jsonb,
                    label varchar(20), raw bytea)""");
    }

    @AfterAll
    static void tearDown() {
        emulator.close();
    }

    private static List<Field> row(String sql, SqlParameter... parameters) {
        return execute(emulator.client(), emulator.api(), emulator.db(), sql, parameters).records().get(0);
    }

    @Test
    void everyTypeHint_shouldBindTheHintedType() {
        execute(emulator.client(), emulator.api(), emulator.db(), """
                INSERT INTO typed (u, d, t, ts, tz, n, j) VALUES (:u, :d, :t, :ts, :tz, :n, :j)""",
                hinted("u", ID, TypeHint.UUID),
                hinted("d", "2024-02-29", TypeHint.DATE),
                hinted("t", "23:59:58.125", TypeHint.TIME),
                hinted("ts", "2024-02-29 23:59:58.125", TypeHint.TIMESTAMP),
                hinted("tz", "2024-02-29 23:59:58", TypeHint.TIMESTAMP),
                hinted("n", "12345.678", TypeHint.DECIMAL),
                hinted("j", "{\"k\": [1, true]}", TypeHint.JSON));
        assertThat(query(emulator.api(), emulator.db(), "SELECT concat_ws('|', u, d, t, ts, tz, n, j) FROM typed WHERE u = '" + ID + "'"))
                .containsExactly(ID + "|2024-02-29|23:59:58.125|2024-02-29 23:59:58.125|2024-02-29 23:59:58+00"
                        + "|12345.678|{\"k\": [1, true]}");
        List<Field> back = row("SELECT pg_typeof(:u)::text, pg_typeof(:d)::text, pg_typeof(:t)::text,"
                        + " pg_typeof(:ts)::text, pg_typeof(:n)::text, pg_typeof(:j)::text, pg_typeof(:s)::text",
                hinted("u", ID, TypeHint.UUID), hinted("d", "2024-01-01", TypeHint.DATE),
                hinted("t", "01:02:03", TypeHint.TIME), hinted("ts", "2024-01-01 01:02:03", TypeHint.TIMESTAMP),
                hinted("n", "1.5", TypeHint.DECIMAL), hinted("j", "{}", TypeHint.JSON), string("s", "plain"));
        assertThat(back).extracting(Field::stringValue).containsExactly("uuid", "date", "time without time zone",
                "timestamp without time zone", "numeric", "json", "text");
    }

    @Test
    void uuidColumnWithoutTypeHint_shouldFailAsOnAws() {
        assertThatThrownBy(() -> execute(emulator.client(), emulator.api(), emulator.db(), "SELECT u FROM typed WHERE u = :id", string("id", ID)))
                .isInstanceOfSatisfying(DatabaseErrorException.class, e -> {
                    assertThat(e.awsErrorDetails().errorMessage())
                            .startsWith("ERROR: operator does not exist: uuid = text")
                            .contains("Hint: No operator matches the given name and argument types.")
                            .endsWith("; SQLState: 42883");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
        assertThatThrownBy(() -> execute(emulator.client(), emulator.api(), emulator.db(), "INSERT INTO typed (u) VALUES (:id)", string("id", ID)))
                .isInstanceOf(DatabaseErrorException.class)
                .hasMessageContaining("column \"u\" is of type uuid but expression is of type text")
                .hasMessageContaining("SQLState: 42804");
        // the documented workarounds
        assertThat(execute(emulator.client(), emulator.api(), emulator.db(), "SELECT count(*) FROM typed WHERE u = :id::uuid", string("id", ID))
                .records()).hasSize(1);
        assertThat(execute(emulator.client(), emulator.api(), emulator.db(), "SELECT count(*) FROM typed WHERE u = CAST(:id AS uuid)",
                string("id", ID)).records()).hasSize(1);
    }

    @Test
    void uuidTypeHintOnAVarcharColumn_shouldFail() {
        assertThatThrownBy(() -> execute(emulator.client(), emulator.api(), emulator.db(), "SELECT 1 FROM typed WHERE label = :l",
                hinted("l", ID, TypeHint.UUID)))
                .isInstanceOf(DatabaseErrorException.class)
                .hasMessageContaining("operator does not exist: character varying = uuid");
    }

    @Test
    void invalidHintedValues_shouldFail() {
        assertThatThrownBy(() -> row("SELECT :u", hinted("u", "not-a-uuid", TypeHint.UUID)))
                .isInstanceOf(DatabaseErrorException.class)
                .hasMessageContaining("invalid input syntax for type uuid")
                .hasMessageContaining("SQLState: 22P02");
        assertThatThrownBy(() -> row("SELECT :j", hinted("j", "{not json", TypeHint.JSON)))
                .isInstanceOf(DatabaseErrorException.class)
                .hasMessageContaining("invalid input syntax for type json");
    }

    @Test
    void timestampHintWithAnIsoValue_shouldBeTheServicesParseErrorAndChangeNothing() {
        String id = "7f1c8f0e-1d2b-4c3a-9e8f-0a1b2c3d4e5f";
        assertThatThrownBy(() -> execute(emulator.client(), emulator.api(), emulator.db(), "INSERT INTO typed (u, ts) VALUES (:u, :ts)",
                hinted("u", id, TypeHint.UUID), hinted("ts", "2022-01-01T00:00:00.123Z", TypeHint.TIMESTAMP)))
                .isInstanceOfSatisfying(DatabaseErrorException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("Parse Error for TimeStamp: input contains invalid characters");
                });
        assertThat(query(emulator.api(), emulator.db(), "SELECT count(*) FROM typed WHERE u = '" + id + "'")).containsExactly("0");
        // the same parser for the other date and time hints; fractions of up to nine digits are accepted
        assertParseError(hinted("ts", "2022-01-01 00:00:00Z", TypeHint.TIMESTAMP),
                "Parse Error for TimeStamp: trailing input");
        assertParseError(hinted("d", "2022-01", TypeHint.DATE), "Parse Error for Date: premature end of input");
        assertParseError(hinted("t", "10h00", TypeHint.TIME),
                "Parse Error for Time: input contains invalid characters");
        assertThat(row("SELECT :ts::text", hinted("ts", "2022-01-01 00:00:00.123456", TypeHint.TIMESTAMP)))
                .containsExactly(Field.builder().stringValue("2022-01-01 00:00:00.123456").build());
    }

    private static void assertParseError(SqlParameter hinted, String message) {
        assertThatThrownBy(() -> row("SELECT :" + hinted.name(), hinted))
                .isInstanceOfSatisfying(DatabaseErrorException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).isEqualTo(message));
    }

    @Test
    void scalarParameters_shouldBindAsInt8Float8BoolByteaAndUntypedNull() {
        List<Field> fields = row("SELECT :l + 1, pg_typeof(:l)::text, :d * 2, pg_typeof(:d)::text, NOT :b,"
                        + " length(:raw), :nothing::int IS NULL",
                longValue("l", 41), doubleValue("d", 1.25), bool("b", false), blob("raw", new byte[] {1, 2, 3}),
                nullValue("nothing"));
        assertThat(fields).containsExactly(
                Field.builder().longValue(42L).build(),
                Field.builder().stringValue("bigint").build(),
                Field.builder().doubleValue(2.5).build(),
                Field.builder().stringValue("double precision").build(),
                Field.builder().booleanValue(true).build(),
                Field.builder().longValue(3L).build(),
                Field.builder().booleanValue(true).build());
        // an untyped NULL goes into any column
        execute(emulator.client(), emulator.api(), emulator.db(), "INSERT INTO typed (u, n, raw) VALUES (:u, :n, :raw)",
                hinted("u", "00000000-0000-0000-0000-000000000001", TypeHint.UUID), nullValue("n"),
                blob("raw", new byte[] {9}));
        assertThat(query(emulator.api(), emulator.db(), "SELECT n IS NULL FROM typed WHERE raw = '\\x09'")).containsExactly("t");
    }

    @Test
    void scanner_shouldSkipStringsIdentifiersCommentsAndCasts() {
        List<Field> fields = row("""
                SELECT ':notparam' AS "a:b", -- :comment
                       /* :block */ :p::int + 1 AS cast, 'it''s :x' AS quoted, :p AS again""",
                string("p", "5"));
        assertThat(fields).containsExactly(
                Field.builder().stringValue(":notparam").build(),
                Field.builder().longValue(6L).build(),
                Field.builder().stringValue("it's :x").build(),
                Field.builder().stringValue("5").build());
    }

    @Test
    void scanner_shouldReproduceTheDollarQuoteAndSliceQuirks() {
        assertThat(row("SELECT $$a :b c$$", string("b", "ignored")).get(0).stringValue()).isEqualTo("a $1 c");
        assertThat(row("SELECT $$a :b c$$").get(0).stringValue()).isEqualTo("a $1 c");
        assertThatThrownBy(() -> row("SELECT (ARRAY[1, 2, 3])[1:2]"))
                .isInstanceOf(DatabaseErrorException.class)
                .hasMessageContaining("syntax error at or near \"$1\"");
    }

    @Test
    void questionMarkOperators_shouldReachPostgres() {
        assertThat(row("SELECT '{\"a\": 1}'::jsonb ? 'a', '{\"a\": 1}'::jsonb ?| ARRAY['x', 'a']"))
                .containsExactly(Field.builder().booleanValue(true).build(), Field.builder().booleanValue(true).build());
    }

    @Test
    void missingParameterValue_shouldBeThePostgresError() {
        // the placeholder reaches PostgreSQL as $1 with no value bound to it
        assertThatThrownBy(() -> row("SELECT :a::int"))
                .isInstanceOf(DatabaseErrorException.class)
                .hasMessageContaining("bind message supplies 0 parameters, but prepared statement \"\" requires 1")
                .hasMessageContaining("SQLState: 08P01");
        assertThat(row("SELECT 1").get(0).longValue()).isEqualTo(1);
    }

    @Test
    void parameterNotInTheSql_shouldBeRejected() {
        assertThatThrownBy(() -> row("SELECT 1", string("extra", "x")))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("Cannot find parameter: extra");
    }

    @Test
    void arrayParameter_shouldBeAValidationException() {
        SqlParameter array = SqlParameter.builder().name("a").value(Field.builder()
                .arrayValue(ArrayValue.builder().longValues(1L, 2L).build()).build()).build();
        assertThatThrownBy(() -> row("SELECT :a", array))
                .isInstanceOfSatisfying(RdsDataException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Array parameters are not supported");
                });
    }

    @Test
    void parameterWithNoFieldSet_shouldBeABadRequest() {
        SqlParameter empty = SqlParameter.builder().name("x").value(Field.builder().build()).build();
        assertThatThrownBy(() -> row("SELECT :x", empty))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("Parameter \"x\" has value with no field set");
    }

    @Test
    void untypedNullWhereTheTypeCannotBeInferred_shouldBeThePostgresError() {
        assertThatThrownBy(() -> row("SELECT :x IS NULL", nullValue("x")))
                .isInstanceOf(DatabaseErrorException.class)
                .hasMessageContaining("could not determine data type of parameter $1");
    }
}
