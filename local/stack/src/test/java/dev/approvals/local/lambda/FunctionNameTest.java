package dev.approvals.local.lambda;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FunctionNameTest {

    private static LambdaInvokeServer.FunctionName parse(String name, String qualifier) {
        return LambdaInvokeServer.FunctionName.parse(name, qualifier);
    }

    @Test
    void everyFormLambdaAccepts_shouldNameTheFunctionAndQualifier() {
        assertThat(parse("ApproveFunction", null)).isEqualTo(new LambdaInvokeServer.FunctionName("ApproveFunction", null));
        assertThat(parse("ApproveFunction:live", null).qualifier()).isEqualTo("live");
        assertThat(parse("arn:aws:lambda:us-east-1:123456789012:function:ApproveFunction", null).name())
                .isEqualTo("ApproveFunction");
        assertThat(parse("arn:aws:lambda:us-east-1:123456789012:function:ApproveFunction:$LATEST", null).qualifier())
                .isEqualTo("$LATEST");
        assertThat(parse("123456789012:function:ApproveFunction:live", null))
                .isEqualTo(new LambdaInvokeServer.FunctionName("ApproveFunction", "live"));
        assertThat(parse("ApproveFunction", "live").qualifier()).isEqualTo("live");
    }

    @Test
    void malformedNames_shouldBeNull() {
        assertThat(parse("arn:aws:s3:::bucket", null)).isNull();
        assertThat(parse("a:b:c:d:e", null)).isNull();
        assertThat(parse("", null)).isNull();
        assertThat(parse("ApproveFunction:live", "other")).as("conflicting qualifiers").isNull();
    }
}
