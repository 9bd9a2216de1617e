package dev.approvals.store;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowTimestampTest {

    @ParameterizedTest
    @CsvSource({
            "2026-11-27 10:00:00, 2026-11-27T10:00:00Z",
            "2026-11-27 10:00:00.5, 2026-11-27T10:00:00.500Z",
            "2026-11-27 10:00:00.123456, 2026-11-27T10:00:00.123456Z",
            "2026-11-27 10:00:00.000001, 2026-11-27T10:00:00.000001Z",
            "2026-02-28 23:59:59.999999999, 2026-02-28T23:59:59.999999999Z"})
    void dataApiTimestamps_areUtcWallClockTime_withAnyFraction(String text, String instant) {
        assertThat(Row.timestamp(text)).isEqualTo(Instant.parse(instant));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-27 25:00:00", "2026-11-27T10:00:00", "2026-11-27 10:00",
            "2026-11-27 10:00:00.1234567890", "2026-11-27 10:00:00.-1", "+026-11-27 10:00:00"})
    void anythingElse_isRefused_asTheFormatterRefusesIt(String text) {
        assertThatThrownBy(() -> Row.timestamp(text)).isInstanceOf(DateTimeParseException.class);
    }
}
