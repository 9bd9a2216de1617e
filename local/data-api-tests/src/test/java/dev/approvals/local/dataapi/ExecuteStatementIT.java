package dev.approvals.local.dataapi;

import static dev.approvals.local.dataapi.Sql.execute;
import static dev.approvals.local.dataapi.Sql.jdbc;
import static dev.approvals.local.dataapi.Sql.query;
import static dev.approvals.local.dataapi.Sql.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.ColumnMetadata;
import software.amazon.awssdk.services.rdsdata.model.DecimalReturnType;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.LongReturnType;
import software.amazon.awssdk.services.rdsdata.model.RdsDataException;
import software.amazon.awssdk.services.rdsdata.model.RecordsFormatType;
import software.amazon.awssdk.services.rdsdata.model.UnsupportedResultException;

/** ExecuteStatement through the unmodified SDK: result types, metadata, formats, DML counts, session behaviour. */
class ExecuteStatementIT {

    private static EmulatorDatabase emulator;

    @BeforeAll
    static void setUp() {
        emulator = EmulatorDatabase.create("execute",
                "CREATE TABLE item (id serial PRIMARY KEY, name text NOT NULL, price numeric(10,4), note text)",
                "INSERT INTO item (name, price) VALUES ('pen', 1.5), ('ink', 20)");
    }

    @AfterAll
    static void tearDown() {
        emulator.close();
    }

    private static List<Field> row(String sql) {
        ExecuteStatementResponse response = execute(emulator.client(), emulator.api(), emulator.db(), sql);
        assertThat(response.records()).hasSize(1);
        return response.records().get(0);
    }

    @Test
    void select_scalarTypes_shouldMapToTheirFieldMembers() {
        List<Field> row = row("""
                SELECT 1::int2, 2::int4, 9007199254740993::int8, 123456.789::numeric(10,4), 1.25::float8,
                       0.5::float4, true, 'text'::text, 'vc'::varchar(10), 'ab'::char(4),
                       'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid, '{"b": [1, 2]}'::jsonb, '{"a":1}'::json,
                       '2024-01-15'::date, '10:11:12.5'::time, '2024-01-15 10:11:12'::timestamp,
                       '2024-01-15 12:34:56.789+09'::timestamptz, '\\xdeadbeef'::bytea, NULL::text,
                       '192.168.0.1/32'::inet, 1234::oid""");
        assertThat(row).containsExactly(
                Field.builder().longValue(1L).build(),
                Field.builder().longValue(2L).build(),
                Field.builder().longValue(9007199254740993L).build(),
                Field.builder().stringValue("123456.7890").build(),
                Field.builder().doubleValue(1.25).build(),
                Field.builder().doubleValue(0.5).build(),
                Field.builder().booleanValue(true).build(),
                Field.builder().stringValue("text").build(),
                Field.builder().stringValue("vc").build(),
                Field.builder().stringValue("ab  ").build(),
                Field.builder().stringValue("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11").build(),
                Field.builder().stringValue("{\"b\": [1, 2]}").build(),
                Field.builder().stringValue("{\"a\":1}").build(),
                Field.builder().stringValue("2024-01-15").build(),
                Field.builder().stringValue("10:11:12.5").build(),
                Field.builder().stringValue("2024-01-15 10:11:12").build(),
                Field.builder().stringValue("2024-01-15 03:34:56.789").build(),
                Field.builder().blobValue(SdkBytes.fromByteArray(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe,
                        (byte) 0xef})).build(),
                Field.builder().isNull(true).build(),
                Field.builder().stringValue("192.168.0.1").build(),
                Field.builder().stringValue("1234").build());
    }

    @Test
    void select_oneDimensionalArrays_shouldBeArrayValuesWithNullElements() {
        List<Field> row = row("""
                SELECT ARRAY['a', NULL, 'c']::text[], ARRAY[1, NULL, 3]::int4[], ARRAY[true, false]::bool[],
                       ARRAY[1.5]::float8[], ARRAY[1.10]::numeric[],
                       ARRAY['2024-01-15 12:00:00+02']::timestamptz[], '{}'::int8[]""");
        assertThat(row.get(0).arrayValue().stringValues()).containsExactly("a", null, "c");
        assertThat(row.get(1).arrayValue().longValues()).containsExactly(1L, null, 3L);
        assertThat(row.get(2).arrayValue().booleanValues()).containsExactly(true, false);
        assertThat(row.get(3).arrayValue().doubleValues()).containsExactly(1.5);
        assertThat(row.get(4).arrayValue().stringValues()).containsExactly("1.10");
        assertThat(row.get(5).arrayValue().stringValues()).containsExactly("2024-01-15 10:00:00");
        assertThat(row.get(6).arrayValue().longValues()).isEmpty();
    }

    @Test
    void timestamps_shouldKeepPostgresPrecisionWithTrailingZerosDropped() {
        List<Field> row = row("""
                SELECT '2022-01-01 00:00:00.123456'::timestamp(6), '2020-09-17 13:49:32.780180'::timestamp,
                       '2022-01-02 00:00:00.123'::timestamp(3), '2024-01-15 10:11:12.000'::timestamp,
                       '2022-01-01 00:00:00.123456-02'::timestamptz, '2024-01-15 12:34:56.5+09'::timestamptz,
                       '2024-01-15'::date, '23:23:12.432100'::time(6),
                       ARRAY['2022-01-01 00:00:00.123456', '2020-09-17 13:49:32.78018',
                             '2024-01-15 10:11:12']::timestamp[],
                       ARRAY['2022-01-01 00:00:00.123456-02', '2024-01-15 12:00:00+02']::timestamptz[]""");
        assertThat(row.subList(0, 8)).extracting(Field::stringValue).containsExactly(
                "2022-01-01 00:00:00.123456", "2020-09-17 13:49:32.78018", "2022-01-02 00:00:00.123",
                "2024-01-15 10:11:12", "2022-01-01 02:00:00.123456", "2024-01-15 03:34:56.5", "2024-01-15",
                "23:23:12.4321");
        assertThat(row.get(8).arrayValue().stringValues()).containsExactly("2022-01-01 00:00:00.123456",
                "2020-09-17 13:49:32.78018", "2024-01-15 10:11:12");
        assertThat(row.get(9).arrayValue().stringValues()).containsExactly("2022-01-01 02:00:00.123456",
                "2024-01-15 10:00:00");
    }

    @Test
    void timestamps_inFormattedRecords_shouldKeepPostgresPrecisionToo() throws Exception {
        ExecuteStatementResponse response = emulator.client().executeStatement(request(emulator.api(), emulator.db(), """
                SELECT '2022-01-01 00:00:00.123456'::timestamp AS ts, '2020-09-17 13:49:32.78018+00'::timestamptz AS tz,
                       ARRAY['2024-01-15 10:11:12.5'::timestamp] AS tss""")
                .formatRecordsAs(RecordsFormatType.JSON).build());
        JsonNode row = new ObjectMapper().readTree(response.formattedRecords()).get(0);
        assertThat(row.get("ts").asText()).isEqualTo("2022-01-01 00:00:00.123456");
        assertThat(row.get("tz").asText()).isEqualTo("2020-09-17 13:49:32.78018");
        assertThat(row.get("tss").toString()).isEqualTo("[\"2024-01-15 10:11:12.5\"]");
    }

    @Test
    void realValues_shouldNotBeWidenedToDouble() {
        List<Field> row = row("SELECT '{3.14,2.71}'::real[], 3.14::real, 0.1::float4, 0.1::float8");
        assertThat(row.get(0).arrayValue().doubleValues()).containsExactly(3.14, 2.71);
        assertThat(row.subList(1, 4)).extracting(Field::doubleValue).containsExactly(3.14, 0.1, 0.1);
        ExecuteStatementResponse json = emulator.client().executeStatement(request(emulator.api(), emulator.db(),
                "SELECT '{3.14,2.71}'::real[] AS a, 3.14::real AS r").formatRecordsAs(RecordsFormatType.JSON).build());
        assertThat(json.formattedRecords()).isEqualTo("[{\"a\":[3.14,2.71],\"r\":3.14}]");
    }

    @Test
    void select_floatSpecialValues_shouldRoundTripThroughTheSdk() {
        List<Field> row = row("SELECT 'NaN'::float8, 'Infinity'::float8");
        assertThat(row.get(0).doubleValue()).isNaN();
        assertThat(row.get(1).doubleValue()).isInfinite();
    }

    @Test
    void select_withoutMetadata_shouldHaveRecordsAndZeroUpdatedButNoMetadata() {
        ExecuteStatementResponse response = execute(emulator.client(), emulator.api(), emulator.db(), "SELECT name FROM item ORDER BY id");
        assertThat(response.records()).extracting(r -> r.get(0).stringValue()).containsExactly("pen", "ink");
        assertThat(response.hasColumnMetadata()).isFalse();
        assertThat(response.numberOfRecordsUpdated()).isZero();
    }

    @Test
    void select_noRows_shouldReturnAnEmptyRecordsList() {
        ExecuteStatementResponse response = execute(emulator.client(), emulator.api(), emulator.db(), "SELECT name FROM item WHERE false");
        assertThat(response.hasRecords()).isTrue();
        assertThat(response.records()).isEmpty();
    }

    @Test
    void columnMetadata_shouldCarryAllFourteenMembersFromTheDriver() {
        ExecuteStatementResponse response = emulator.client().executeStatement(request(emulator.api(), emulator.db(),
                "SELECT id, name AS item_name, price, ARRAY[id] AS ids FROM item WHERE id = 1")
                .includeResultMetadata(true).build());
        List<ColumnMetadata> columns = response.columnMetadata();
        assertThat(columns).hasSize(4);
        ColumnMetadata id = columns.get(0);
        assertThat(id.name()).isEqualTo("id");
        assertThat(id.label()).isEqualTo("id");
        assertThat(id.typeName()).isEqualTo("serial");
        assertThat(id.type()).isEqualTo(java.sql.Types.INTEGER);
        assertThat(id.isAutoIncrement()).isTrue();
        assertThat(id.isSigned()).isTrue();
        assertThat(id.nullable()).isZero();
        assertThat(id.tableName()).isEqualTo("item");
        assertThat(id.arrayBaseColumnType()).isZero();
        ColumnMetadata name = columns.get(1);
        assertThat(name.label()).isEqualTo("item_name");
        assertThat(name.typeName()).isEqualTo("text");
        assertThat(name.precision()).isEqualTo(Integer.MAX_VALUE);
        assertThat(name.isCaseSensitive()).isTrue();
        ColumnMetadata price = columns.get(2);
        assertThat(price.typeName()).isEqualTo("numeric");
        assertThat(price.precision()).isEqualTo(10);
        assertThat(price.scale()).isEqualTo(4);
        assertThat(price.nullable()).isEqualTo(1);
        ColumnMetadata ids = columns.get(3);
        assertThat(ids.typeName()).isEqualTo("_int4");
        assertThat(ids.type()).isEqualTo(java.sql.Types.ARRAY);
        assertThat(ids.arrayBaseColumnType()).isEqualTo(java.sql.Types.INTEGER);
        assertThat(id.schemaName()).isNotNull();
    }

    @Test
    void updateReturning_shouldReturnTheRowsAndZeroRecordsUpdated() {
        jdbc(emulator.api(), emulator.db(), "INSERT INTO item (id, name, price) VALUES (100, 'returning', 1)");
        ExecuteStatementResponse response = execute(emulator.client(), emulator.api(), emulator.db(),
                "UPDATE item SET price = price + 1 WHERE id = 100 RETURNING id, price");
        assertThat(response.records()).containsExactly(List.of(Field.builder().longValue(100L).build(),
                Field.builder().stringValue("2.0000").build()));
        assertThat(response.numberOfRecordsUpdated()).isZero();

        ExecuteStatementResponse none = execute(emulator.client(), emulator.api(), emulator.db(),
                "UPDATE item SET price = 0 WHERE id = -1 RETURNING id");
        assertThat(none.records()).isEmpty();
        assertThat(query(emulator.api(), emulator.db(), "SELECT price FROM item WHERE id = 100")).containsExactly("2.0000");
    }

    @Test
    void updateReturning_withRowCountMode_shouldCountTheReturnedRows() {
        try (LocalDataApi rowCounting = LocalDataApi.start(emulator.api().sameServerConfig(emulator.db())
                .withLimits(limits -> limits.with(LocalDataApiConfig.ResultSetUpdateCount.ROW_COUNT)));
             RdsDataClient other = rowCounting.newClient()) {
            ExecuteStatementResponse response = other.executeStatement(request(rowCounting, emulator.db(),
                    "UPDATE item SET note = 'seen' WHERE id IN (1, 2) RETURNING id").build());
            assertThat(response.records()).hasSize(2);
            assertThat(response.numberOfRecordsUpdated()).isEqualTo(2);
        }
    }

    @Test
    void dmlWithoutReturning_shouldReportTheUpdateCountAndCommit() {
        ExecuteStatementResponse insert = execute(emulator.client(), emulator.api(), emulator.db(),
                "INSERT INTO item (name) VALUES ('a'), ('b'), ('c')");
        assertThat(insert.numberOfRecordsUpdated()).isEqualTo(3);
        assertThat(insert.hasRecords()).isFalse();
        // autocommit really commits: another connection sees it
        assertThat(query(emulator.api(), emulator.db(), "SELECT count(*) FROM item WHERE name IN ('a', 'b', 'c')")).containsExactly("3");
        ExecuteStatementResponse ddl = execute(emulator.client(), emulator.api(), emulator.db(), "CREATE TABLE scratch (x int)");
        assertThat(ddl.numberOfRecordsUpdated()).isZero();
    }

    @Test
    void formatRecordsAsJson_shouldReturnFormattedRecordsKeyedByLabel() throws Exception {
        ExecuteStatementResponse response = emulator.client().executeStatement(request(emulator.api(), emulator.db(), """
                SELECT 7::int8 AS n, 1.50::numeric(4,2) AS d, true AS b, NULL::text AS missing,
                       ARRAY[1, 2] AS arr, '\\x01'::bytea AS bin, 'x' AS s""")
                .formatRecordsAs(RecordsFormatType.JSON).includeResultMetadata(true).build());
        assertThat(response.hasRecords()).isFalse();
        assertThat(response.hasColumnMetadata()).isFalse();
        JsonNode rows = new ObjectMapper().readTree(response.formattedRecords());
        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.get("n").isIntegralNumber()).isTrue();
        assertThat(row.get("n").asLong()).isEqualTo(7);
        assertThat(row.get("d").isTextual()).isTrue();
        assertThat(row.get("d").asText()).isEqualTo("1.50");
        assertThat(row.get("b").asBoolean()).isTrue();
        assertThat(row.get("missing").isNull()).isTrue();
        assertThat(row.get("arr").toString()).isEqualTo("[1,2]");
        assertThat(row.get("bin").asText()).isEqualTo("AQ==");
        assertThat(row.get("s").asText()).isEqualTo("x");
    }

    @Test
    void formatRecordsAsJson_duplicateLabels_shouldBeRefused() {
        assertThatThrownBy(() -> emulator.client().executeStatement(request(emulator.api(), emulator.db(), "SELECT 1 AS a, 2 AS a")
                .formatRecordsAs(RecordsFormatType.JSON).build()))
                .isInstanceOf(UnsupportedResultException.class);
    }

    @Test
    void resultSetOptions_shouldTurnDecimalsIntoNumbersAndLongsIntoStrings() {
        ExecuteStatementResponse response = emulator.client().executeStatement(request(emulator.api(), emulator.db(),
                "SELECT 12::numeric, 1.25::numeric(5,2), 42::int8")
                .resultSetOptions(o -> o.decimalReturnType(DecimalReturnType.DOUBLE_OR_LONG)
                        .longReturnType(LongReturnType.STRING)).build());
        assertThat(response.records().get(0)).containsExactly(
                Field.builder().longValue(12L).build(),
                Field.builder().doubleValue(1.25).build(),
                Field.builder().stringValue("42").build());
    }

    @Test
    void unsupportedTypes_shouldFailWithUnsupportedResultException() {
        Map<String, String> cases = Map.of(
                "SELECT interval '1 day'", "unsupported data type interval",
                "SELECT 'a'::\"char\"", "unsupported data type \"CHAR\"",
                "SELECT 'int4'::regtype", "unsupported data type regtype",
                "SELECT '<a/>'::xml", "unsupported data type xml",
                "SELECT ARRAY[[1, 2], [3, 4]]", "multidimensional array");
        cases.forEach((sql, message) -> assertThatThrownBy(() -> execute(emulator.client(), emulator.api(), emulator.db(), sql))
                .as(sql)
                .isInstanceOf(UnsupportedResultException.class)
                .hasMessageContaining(message));
    }

    @Test
    void typesTheServiceDoesNotReturn_shouldFailWithUnsupportedResultExceptionNamingTheType() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("SELECT '08:00:2b:01:02:03'::macaddr", "macaddr"),
                Map.entry("SELECT '08:00:2b:01:02:03:04:05'::macaddr8", "macaddr8"),
                Map.entry("SELECT '[1000000,2000000]'::int8range", "int8range"),
                Map.entry("SELECT '[2024-01-01,2024-12-31]'::daterange", "daterange"),
                Map.entry("SELECT '[2024-01-01 00:00:00,2024-12-31 23:59:59]'::tsrange", "tsrange"),
                Map.entry("SELECT '{[1,2]}'::int8multirange", "int8multirange"),
                Map.entry("SELECT '{[2024-01-01,2024-01-02]}'::datemultirange", "datemultirange"),
                Map.entry("SELECT '{[2024-01-01,2024-01-02]}'::tsmultirange", "tsmultirange"),
                Map.entry("SELECT ARRAY['08:00:2b:01:02:03'::macaddr]", "_macaddr"));
        cases.forEach((sql, type) -> assertThatThrownBy(() -> execute(emulator.client(), emulator.api(), emulator.db(), sql))
                .as(sql)
                .isInstanceOfSatisfying(UnsupportedResultException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).isEqualTo("The result contains the unsupported data type " + type)));
    }

    @Test
    void networkAndRangeTypesTheServiceReturns_shouldBeTheirPostgresText() {
        List<Field> row = row("""
                SELECT '192.168.1.0/24'::inet, '10.0.0.0/8'::cidr, '[1,10)'::int4range, '[1,)'::int4range,
                       '[0.0,1.0)'::numrange, '[2024-01-01 00:00:00+00,2024-01-02 00:00:00+00)'::tstzrange,
                       '{[1,3)}'::int4multirange""");
        assertThat(row).extracting(Field::stringValue).containsExactly("192.168.1.0/24", "10.0.0.0/8", "[1,10)",
                "[1,)", "[0.0,1.0)", "[\"2024-01-01 00:00:00+00\",\"2024-01-02 00:00:00+00\")", "{[1,3)}");
    }

    @Test
    void infinityTimestamp_shouldFailWithInternalFailure500() {
        try (RdsDataClient noRetries = emulator.api().newClient(b -> b.overrideConfiguration(c -> c.retryStrategy(
                software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry())))) {
            assertThatThrownBy(() -> execute(noRetries, emulator.api(), emulator.db(), "SELECT 'infinity'::timestamptz"))
                    .isInstanceOfSatisfying(RdsDataException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(500);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalFailure");
                    });
        }
    }

    @Test
    void session_shouldBeUtcAndNotKeepStateBetweenAutocommitCalls() {
        assertThat(row("SELECT current_setting('TimeZone')").get(0).stringValue()).isEqualTo("UTC");
        execute(emulator.client(), emulator.api(), emulator.db(), "SET TimeZone = 'Asia/Tokyo'");
        assertThat(row("SELECT current_setting('TimeZone')").get(0).stringValue()).isEqualTo("UTC");
        execute(emulator.client(), emulator.api(), emulator.db(), "CREATE TEMP TABLE temp_state (x int)");
        assertThat(row("SELECT to_regclass('pg_temp.temp_state') IS NULL").get(0).booleanValue()).isTrue();
    }

    @Test
    void database_shouldSelectThePostgresDatabaseAndDefaultToTheClusterDatabase() {
        assertThat(row("SELECT current_database()").get(0).stringValue()).isEqualTo(emulator.db());
        ExecuteStatementResponse defaultDb = emulator.client().executeStatement(r -> r.resourceArn(emulator.api().clusterArn())
                .secretArn(emulator.api().secretArn()).sql("SELECT current_database()"));
        assertThat(defaultDb.records().get(0).get(0).stringValue()).isEqualTo(emulator.api().databaseName());
    }
}
