package dev.approvals.input;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The id and key checks run by hand on every request; these hold them to the expressions they replace. */
class FieldsMatchersTest {

    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern VISIBLE_ASCII = Pattern.compile("[\\x20-\\x7E]+");

    @Test
    void uuids_areCheckedAsTheExpressionChecked() {
        List<String> candidates = new ArrayList<>(List.of("", "-", UUID.randomUUID().toString(),
                UUID.randomUUID().toString().toUpperCase(), UUID.randomUUID() + "0", UUID.randomUUID() + "\n",
                UUID.randomUUID().toString().substring(1), "0b8f3c1e5d7a-4f2e-9c61-2a4b6d8e0f13-"));
        String base = "0b8f3c1e-5d7a-4f2e-9c61-2a4b6d8e0f13";
        // every position, every character that borders a range or a separator
        for (int i = 0; i < base.length(); i++) {
            for (char c : new char[] {'0', '9', 'a', 'f', 'A', 'F', 'g', 'G', '/', ':', '@', '`', '-', '\u0660', 'ｆ'}) {
                candidates.add(base.substring(0, i) + c + base.substring(i + 1));
            }
        }
        for (String candidate : candidates) {
            assertThat(Fields.isCanonicalUuid(candidate)).as(candidate)
                    .isEqualTo(CANONICAL_UUID.matcher(candidate).matches());
        }
    }

    @Test
    void visibleAscii_isCheckedAsTheExpressionChecked() {
        for (char c = 0; c < 0x200; c++) {
            for (String candidate : List.of(String.valueOf(c), "key" + c, c + "key", "k" + c + "y")) {
                assertThat(Fields.isVisibleAscii(candidate)).as("U+%04x", (int) c)
                        .isEqualTo(VISIBLE_ASCII.matcher(candidate).matches());
            }
        }
        assertThat(Fields.isVisibleAscii("")).isEqualTo(VISIBLE_ASCII.matcher("").matches());
    }
}
