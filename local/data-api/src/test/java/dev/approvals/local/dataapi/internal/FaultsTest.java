package dev.approvals.local.dataapi.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class FaultsTest {

    private static final String SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:caller-AbCdEf";
    private static final String OTHER_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:other-AbCdEf";

    @Test
    void aFaultForOneSecret_isTakenOnlyByCallsMadeWithIt() {
        Faults faults = new Faults();
        faults.arm(Faults.Kind.STATEMENT_TIMEOUT, null, 1, List.of(Operation.ExecuteStatement), SECRET);

        assertThat(faults.next(Operation.ExecuteStatement, OTHER_SECRET)).isNull();
        assertThat(faults.next(Operation.ExecuteStatement, SECRET)).satisfies(fault -> {
            assertThat(fault.kind()).isEqualTo(Faults.Kind.STATEMENT_TIMEOUT);
            assertThat(fault.secretArn()).isEqualTo(SECRET);
        });
        assertThat(faults.next(Operation.ExecuteStatement, SECRET)).isNull();
    }

    @Test
    void next_shouldTakeArmedFaultsInOrderAndUseThemUp() {
        Faults faults = new Faults();
        faults.arm(Faults.Kind.RESUMING, null, 1, List.of(), null);
        faults.arm(Faults.Kind.UNAVAILABLE_AFTER_COMMIT, null, 2, List.of(), null);
        assertThat(faults.next(Operation.ExecuteStatement, SECRET).kind()).isEqualTo(Faults.Kind.RESUMING);
        assertThat(faults.next(Operation.ExecuteStatement, SECRET).kind()).isEqualTo(Faults.Kind.UNAVAILABLE_AFTER_COMMIT);
        assertThat(faults.next(Operation.CommitTransaction, SECRET).kind()).isEqualTo(Faults.Kind.UNAVAILABLE_AFTER_COMMIT);
        assertThat(faults.next(Operation.ExecuteStatement, SECRET)).isNull();
    }

    @Test
    void next_shouldSkipOperationsTheFaultDoesNotApplyTo() {
        Faults faults = new Faults();
        faults.arm(Faults.Kind.RESUMING, null, 1, List.of(), null);
        assertThat(faults.next(Operation.CommitTransaction, SECRET)).as("the model has no resuming error for commit").isNull();
        assertThat(faults.next(Operation.ExecuteSql, SECRET)).isNull();
        faults.clear();
        faults.arm(Faults.Kind.STATEMENT_TIMEOUT, null, 1, List.of(Operation.BatchExecuteStatement), null);
        assertThat(faults.next(Operation.BatchExecuteStatement, SECRET).kind()).isEqualTo(Faults.Kind.STATEMENT_TIMEOUT);
        assertThat(faults.armed()).isEmpty();
        faults.arm(Faults.Kind.RESUMING, null, 2, List.of(), null);
        assertThat(faults.armed()).hasSize(1);
        faults.clear();
        assertThat(faults.armed()).isEmpty();
    }

    @Test
    void arm_badArguments_shouldBeRejected() {
        Faults faults = new Faults();
        assertThatThrownBy(() -> faults.arm(Faults.Kind.ERROR, null, 1, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.arm(Faults.Kind.RESUMING, null, -1, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.latency(Duration.ofMillis(5), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ErrorType.parse("NoSuchError")).isInstanceOf(IllegalArgumentException.class);
    }
}
