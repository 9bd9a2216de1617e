package dev.approvals.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
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

    @Test
    void syntaxErrors_sayWhereWithoutRepeatingThatItIsNotJson() {
        assertThatThrownBy(() -> parse("{\"a\" 1}"))
                .hasMessage("syntax error at line 1, column 6");
    }

    @Test
    void jsonInUtf32_isRefused_notReadThroughEncodingDetection() {
        // Jackson's detection reads these bytes as UTF-32 and fails with an IOException (a 500 before)
        byte[] utf32 = {0, 0, 0, '{', 0, 0x11, 0, 0};

        assertThatThrownBy(() -> Json.parse(utf32))
                .isInstanceOf(Json.MalformedJsonException.class)
                .hasMessageContaining("JSON must be UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32LE", "UTF-32BE"})
    void validJsonInAnotherUnicodeEncoding_isRefused(String charset) {
        // Jackson's detection would read UTF-16 and UTF-32 JSON as if it were valid (a decision before)
        byte[] bytes = "{\"expectedVersion\": 1}".getBytes(Charset.forName(charset));

        assertThatThrownBy(() -> Json.parse(bytes))
                .isInstanceOf(Json.MalformedJsonException.class)
                .hasMessageContaining("JSON must be UTF-8");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ff fe", "c0 af", "e0 80 af", "ed a0 80", "ed b0 80", "80", "bf", "e2 82", "f0 9f 98", "f4 90 80 80", "c3"})
    void bytesThatAreNotUtf8_areRefused_neverReplacedOrDecodedLeniently(String hex) {
        // overlong "/" (c0 af) and CESU-8 surrogates (ed a0 80) were decoded by Jackson without complaint before
        byte[] bad = HexFormat.ofDelimiter(" ").parseHex(hex);
        byte[] json = concat("{\"reason\": \"a".getBytes(StandardCharsets.UTF_8), bad, "b\"}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> Json.parse(json))
                .isInstanceOf(Json.MalformedJsonException.class)
                .hasMessage("it is not UTF-8 text (JSON must be UTF-8)");
    }

    @Test
    void utf8Text_isRead() {
        assertThat(parse("{\"reason\": \"d\u00e9j\u00e0 vu \uD83D\uDE00\"}")).isEqualTo(Map.of("reason", "d\u00e9j\u00e0 vu \uD83D\uDE00"));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static Object parse(String json) {
        return Json.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
