package dev.approvals.local.dataapi.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;

class ResultMapperTest {

    @Test
    void formatTimestamp_shouldDropTheFractionWhenZeroAndKeepMillisecondsOtherwise() {
        assertThat(ResultMapper.formatTimestamp(LocalDateTime.of(2024, 1, 15, 3, 34, 56)))
                .isEqualTo("2024-01-15 03:34:56").hasSize(19);
        assertThat(ResultMapper.formatTimestamp(LocalDateTime.of(2024, 1, 15, 3, 34, 56, 789_123_000)))
                .isEqualTo("2024-01-15 03:34:56.789").hasSize(23);
        assertThat(ResultMapper.formatTimestamp(LocalDateTime.of(2024, 1, 15, 3, 34, 56, 120_000_000)))
                .isEqualTo("2024-01-15 03:34:56.120");
        assertThat(ResultMapper.formatTimestamp(LocalDateTime.of(2024, 1, 15, 3, 34, 56, 999_999)))
                .isEqualTo("2024-01-15 03:34:56");
    }
}
