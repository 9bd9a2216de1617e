package dev.approvals.store;

import dev.approvals.core.ApprovalStatus;
import dev.approvals.core.ListPosition;
import dev.approvals.core.ListQuery;
import dev.approvals.local.dataapi.LocalDataApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.ColumnMetadata;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.approvals.store.DataApiStatements.json;
import static dev.approvals.store.DataApiStatements.number;
import static dev.approvals.store.DataApiStatements.text;
import static dev.approvals.store.DataApiStatements.uuid;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stores ask for no result metadata and read each statement's columns by the positions its {@link Columns}
 * declare. Here every statement runs against the migrated schema through the local Data API with result metadata,
 * and the labels the database reports must be the declared ones, in the declared order. (In the test package of
 * the stores, to reach their package-private statements.)
 */
class StatementColumnsIT {

    private static final UUID ID = UUID.randomUUID();

    private static LocalDataApi dataApi;
    private static String database;
    private static RdsDataClient client;

    @BeforeAll
    static void migrate() {
        dataApi = LocalDataApi.shared();
        database = dataApi.createDatabase("columns");
        dataApi.migrate(database);
        client = dataApi.newClient();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    static Stream<Arguments> statements() {
        ListQuery everything = new ListQuery(Optional.empty(), Optional.empty(), 5, Optional.empty());
        ListQuery filtered = new ListQuery(Optional.of(ApprovalStatus.PENDING), Optional.of("refund"), 5,
                Optional.of(new ListPosition(0, ID)));
        return Stream.of(
                Arguments.of("decide", DataApiApprovalStore.DECIDE_SQL, DataApiApprovalStore.DECIDE_COLUMNS,
                        List.of(uuid("id", ID), number("expectedVersion", 1L), text("targetStatus", "approved"),
                                text("actor", "alice"), text("reason", null), text("decisionKey", "k"))),
                Arguments.of("read for a decision", DataApiApprovalStore.READ_SQL, DataApiApprovalStore.READ_COLUMNS,
                        List.of(uuid("id", ID))),
                Arguments.of("read", DataApiApprovalQueries.FIND_SQL, DataApiApprovalQueries.FIND_COLUMNS,
                        List.of(uuid("id", ID))),
                Arguments.of("list", DataApiApprovalQueries.listSql(everything), DataApiApprovalQueries.LIST_COLUMNS,
                        List.of(number("rows", 6L))),
                Arguments.of("list, filtered, after a position", DataApiApprovalQueries.listSql(filtered),
                        DataApiApprovalQueries.LIST_COLUMNS,
                        List.of(number("rows", 6L), text("status", "pending"), text("actionType", "refund"),
                                number("afterMicros", 0L), uuid("afterId", ID))),
                Arguments.of("propose with a key", DataApiProposalStore.PROPOSE_SQL,
                        DataApiProposalStore.PROPOSE_COLUMNS, proposal(true)),
                Arguments.of("propose by id", DataApiProposalStore.PROPOSE_BY_ID_SQL,
                        DataApiProposalStore.PROPOSE_BY_ID_COLUMNS, proposal(false)),
                Arguments.of("find by key", DataApiProposalStore.FIND_BY_KEY_SQL,
                        DataApiProposalStore.FIND_BY_KEY_COLUMNS,
                        List.of(text("requestedBy", "agent"), text("proposalKey", "key"))),
                Arguments.of("find by id", DataApiProposalStore.FIND_BY_ID_SQL, DataApiProposalStore.FIND_BY_ID_COLUMNS,
                        List.of(uuid("id", ID), text("requestedBy", "agent"))),
                Arguments.of("attach a task token", DataApiWorkflowStore.ATTACH_TOKEN_SQL,
                        DataApiWorkflowStore.ATTACH_TOKEN_COLUMNS, List.of(uuid("id", ID), text("taskToken", "t"))),
                Arguments.of("expire", DataApiWorkflowStore.EXPIRE_SQL, DataApiWorkflowStore.EXPIRE_COLUMNS,
                        List.of(uuid("id", ID), text("actor", "workflow"), text("reason", "late"),
                                text("decisionKey", "k"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statements")
    void theDatabaseReportsTheDeclaredColumns_inTheDeclaredOrder(String name, String sql, Columns declared,
                                                                  List<SqlParameter> parameters) {
        List<ColumnMetadata> reported = client.executeStatement(b -> b.resourceArn(dataApi.clusterArn())
                .secretArn(dataApi.secretArn()).database(database).sql(sql).parameters(parameters)
                .includeResultMetadata(true)).columnMetadata();

        assertThat(reported).extracting(ColumnMetadata::label).containsExactlyElementsOf(declared.labels());
    }

    private static List<SqlParameter> proposal(boolean keyed) {
        List<SqlParameter> parameters = new java.util.ArrayList<>(List.of(uuid("id", UUID.randomUUID()),
                text("actionType", "refund"), json("actionPayload", "{}"), text("requestedBy", "agent"),
                number("expiresAtMicros", null)));
        if (keyed) {
            parameters.add(text("proposalKey", "key-" + UUID.randomUUID()));
            parameters.add(text("proposalHash", "hash"));
        }
        return parameters;
    }
}
