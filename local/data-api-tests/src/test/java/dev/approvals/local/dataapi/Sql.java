package dev.approvals.local.dataapi;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;
import software.amazon.awssdk.services.rdsdata.model.TypeHint;

/** Small helpers the conformance tests share: parameters, one-line statements, direct JDBC. */
final class Sql {
    private Sql() {
    }

    static SqlParameter string(String name, String value) {
        return SqlParameter.builder().name(name).value(Field.builder().stringValue(value).build()).build();
    }

    static SqlParameter hinted(String name, String value, TypeHint hint) {
        return SqlParameter.builder().name(name).value(Field.builder().stringValue(value).build()).typeHint(hint)
                .build();
    }

    static SqlParameter longValue(String name, long value) {
        return SqlParameter.builder().name(name).value(Field.builder().longValue(value).build()).build();
    }

    static SqlParameter doubleValue(String name, double value) {
        return SqlParameter.builder().name(name).value(Field.builder().doubleValue(value).build()).build();
    }

    static SqlParameter bool(String name, boolean value) {
        return SqlParameter.builder().name(name).value(Field.builder().booleanValue(value).build()).build();
    }

    static SqlParameter blob(String name, byte[] value) {
        return SqlParameter.builder().name(name).value(Field.builder().blobValue(SdkBytes.fromByteArray(value)).build())
                .build();
    }

    static SqlParameter nullValue(String name) {
        return SqlParameter.builder().name(name).value(Field.builder().isNull(true).build()).build();
    }

    static ExecuteStatementRequest.Builder request(LocalDataApi api, String database, String sql,
                                                   SqlParameter... parameters) {
        return ExecuteStatementRequest.builder().resourceArn(api.clusterArn()).secretArn(api.secretArn())
                .database(database).sql(sql).parameters(parameters);
    }

    static ExecuteStatementResponse execute(RdsDataClient client, LocalDataApi api, String database, String sql,
                                            SqlParameter... parameters) {
        return client.executeStatement(request(api, database, sql, parameters).build());
    }

    /** Runs statements directly over JDBC (setup). */
    static void jdbc(LocalDataApi api, String database, String... statements) {
        try (Connection c = api.dataSource(database).getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of every row of a query, read directly over JDBC (assertions). */
    static List<String> query(LocalDataApi api, String database, String sql) {
        try (Connection c = api.dataSource(database).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
