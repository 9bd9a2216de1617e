package dev.approvals.http;

import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.testing.Events;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The request path reads headers and group claims without running a regular expression per request; these check
 * the hand-written code against the expressions it replaces, over every short string of the characters that
 * matter (blanks, line terminators, separators, quotes, control and non-ASCII characters).
 */
class HandWrittenMatchersTest {

    private static final char[] ALPHABET = {'a', ' ', '\t', '\n', '\r', '\u0085', '\u2028', '\u2029', '\013', '\f',
            ',', '"', '[', '\u00e9', '\u0001'};

    @Test
    void aHeaderIsStrippedOfOptionalWhitespace_exactlyAsTheExpressionDid() {
        Pattern optionalWhitespace = Pattern.compile("^[ \t]+|[ \t]+$");
        Map<String, Object> event = Events.load("approve-http.json");
        @SuppressWarnings("unchecked")
        Map<String, Object> headers = (Map<String, Object>) event.get("headers");
        for (String value : strings(4)) {
            headers.put("x-probe", value);
            HttpRequest request = HttpRequest.read(event, InvocationShape.HTTP_API, Set.of(Route.APPROVE));
            String expected = optionalWhitespace.matcher(value).replaceAll("");
            if (expected.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                assertThatThrownBy(() -> request.header("X-Probe")).as(printable(value))
                        .isInstanceOf(InvalidDecisionRequestException.class);
            } else {
                assertThat(request.header("X-Probe")).as(printable(value)).isEqualTo(expected);
            }
        }
    }

    @Test
    void aFlattenedGroupsClaimSplits_exactlyAsTheExpressionDid() {
        Pattern separators = Pattern.compile(Identity.GROUP_SEPARATORS);
        for (String claim : strings(4)) {
            Set<String> expected = new HashSet<>();
            String inner = claim.strip();
            if (inner.startsWith("[") && inner.endsWith("]")) {
                inner = inner.substring(1, inner.length() - 1);
            }
            for (String group : separators.split(inner)) {
                String name = group.replace("\"", "");
                if (!name.isEmpty()) {
                    expected.add(name);
                }
            }
            assertThat(Identity.groups(claim)).as(printable(claim)).isEqualTo(expected);
        }
    }

    /** Every string of up to {@code length} characters of {@link #ALPHABET}. */
    static List<String> strings(int length) {
        List<String> all = new ArrayList<>(List.of(""));
        List<String> previous = List.of("");
        for (int n = 1; n <= length; n++) {
            List<String> next = new ArrayList<>();
            for (String prefix : previous) {
                for (char c : ALPHABET) {
                    next.add(prefix + c);
                }
            }
            all.addAll(next);
            previous = next;
        }
        return all;
    }

    private static String printable(String value) {
        StringBuilder out = new StringBuilder();
        value.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : "\\u%04x".formatted(c)));
        return out.toString();
    }
}
