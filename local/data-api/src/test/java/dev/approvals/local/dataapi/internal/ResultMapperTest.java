package dev.approvals.local.dataapi.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;

class ResultMapperTest {

    @Test
    void formatTimestamp_shouldPrintMicrosecondsAsPostgresDoes() {
        assertThat(ResultMapper.formatTimestamp(LocalDateTime.of(2024, 1, 15, 3, 34, 56)))
                .isEqualTo("2024-01-15 03:34:56");
        assertThat(ResultMapper.formatTimestamp(LocalDateTime.of(2022, 1, 1, 0, 0, 0, 123_456_000)))
                .isEqualTo("2022-01-01 00:00:00.123456");
        assertThat(ResultMapper.formatTimestamp(LocalDateTime.of(2020, 9, 17, 13, 49, 32, 780_180_000)))
                .isEqualTo("2020-09-17 13:49:32.78018");
        assertThat(ResultMapper.formatTimestamp(LocalDateTime.of(2024, 1, 15, 3, 34, 56, 120_000_000)))
                .isEqualTo("2024-01-15 03:34:56.12");
        assertThat(ResultMapper.formatTimestamp(LocalDateTime.of(2024, 1, 15, 3, 34, 56, 1_000)))
                .isEqualTo("2024-01-15 03:34:56.000001");
    }
}
