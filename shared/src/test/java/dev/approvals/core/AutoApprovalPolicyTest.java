package dev.approvals.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AutoApprovalPolicyTest {

    @Test
    void aCommaSeparatedList_namesTheActionTypesApprovedWithoutAPerson() {
        AutoApprovalPolicy policy = AutoApprovalPolicy.parse(" small-refund, ,send-receipt ");

        assertThat(policy.actionTypes()).containsExactlyInAnyOrder("small-refund", "send-receipt");
        assertThat(policy.approvesWithoutAPerson("small-refund")).isTrue();
        assertThat(policy.approvesWithoutAPerson("refund")).isFalse();
        assertThat(policy.approvesWithoutAPerson("Small-Refund")).isFalse();
    }

    @Test
    void noPolicy_meansAPersonDecidesEverything() {
        assertThat(AutoApprovalPolicy.parse("").actionTypes()).isEmpty();
        assertThat(AutoApprovalPolicy.NONE.approvesWithoutAPerson("refund")).isFalse();
    }
}
