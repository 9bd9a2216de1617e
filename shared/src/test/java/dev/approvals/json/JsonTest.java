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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"12345678901234567.89", "0.1000000000000000055511151231257827", "1.50", "-0.001",
            "3.141592653589793238462643383279"})
    void decimals_areReadExactly_andWrittenBackAsSent_neverRoundedToADouble(String number) {
        Object value = parse("{\"amount\": " + number + "}");

        assertThat(Json.write(value)).isEqualTo("{\"amount\":" + number + "}");
    }

    @Test
    void decimalsBeyondADouble_stayNumbers_inPlainNotation_asPostgresqlGivesThemBack() {
        // a double made 1e400 the string "Infinity" and 1e-400 the number 0.0
        assertThat(Json.write(parse("[1e400, 1E+2, 1e-400, 2.5e-3]")))
                .isEqualTo("[1" + "0".repeat(400) + ",100,0." + "0".repeat(399) + "1,0.0025]");
    }

    @Test
    void aDecimalWithAHugeExponent_isWrittenInScientificNotation_notExpanded() {
        assertThat(Json.write(parse("[1e999999999, -2E-999999999]"))).isEqualTo("[1E+999999999,-2E-999999999]");
    }

    @Test
    void numbersNoDecimalCanHold_orTooLongToRead_areMalformed_notAnUncheckedError() {
        assertThatThrownBy(() -> parse("{\"expectedVersion\": 1e99999999999}"))
                .isInstanceOf(Json.MalformedJsonException.class).hasMessage("number out of range at line 1, column 34");
        assertThatThrownBy(() -> parse("[1" + "0".repeat(5000) + "]")).isInstanceOf(Json.MalformedJsonException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("0000"));
    }

    @Test
    void integers_stayIntegers() {
        assertThat(parse("[1, -0, 2147483648, 123456789012345678901234567890]")).isEqualTo(java.util.List.of(1, 0,
                2147483648L, new java.math.BigInteger("123456789012345678901234567890")));
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
