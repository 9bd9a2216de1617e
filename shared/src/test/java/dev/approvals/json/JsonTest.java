package dev.approvals.json;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    @Test
    void parsesOneValue() {
        assertThat(parse("{\"a\":[1,true,null,\"x\"]}")).isEqualTo(Map.of("a", java.util.Arrays.asList(1, true, null, "x")));
    }

    @Test
    void refusesTrailingContent_duplicateKeys_andEmptyInput() {
        assertThatThrownBy(() -> parse("{} {}")).isInstanceOf(Json.MalformedJsonException.class);
        assertThatThrownBy(() -> parse("{\"a\":1,\"a\":2}")).isInstanceOf(Json.MalformedJsonException.class);
        assertThatThrownBy(() -> parse("  ")).isInstanceOf(Json.MalformedJsonException.class);
    }

    @Test
    void errorMessagesDoNotEchoTheInput() {
        assertThatThrownBy(() -> parse("{\"secret-token-value\" 1}"))
                .isInstanceOf(Json.MalformedJsonException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-token-value").contains("line 1"));
    }

    private static Object parse(String json) {
        return Json.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
