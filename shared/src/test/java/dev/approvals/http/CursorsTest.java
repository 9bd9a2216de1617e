package dev.approvals.http;

import dev.approvals.core.ApprovalStatus;
import dev.approvals.core.ListPosition;
import dev.approvals.core.ListQuery;
import dev.approvals.errors.InvalidDecisionRequestException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CursorsTest {

    private static final Cursors CURSORS = new Cursors("k".repeat(64).getBytes(StandardCharsets.UTF_8));
    private static final ListPosition POSITION = new ListPosition(1_795_780_800_123_456L, UUID.randomUUID());
    private static final ListQuery PENDING = query(Optional.of(ApprovalStatus.PENDING), Optional.of("refund"));

    private static ListQuery query(Optional<ApprovalStatus> status, Optional<String> actionType) {
        return new ListQuery(status, actionType, 25, Optional.empty());
    }

    @Test
    void aCursor_givesBackItsPosition_forTheSameFilters_whateverTheLimit() {
        String cursor = CURSORS.encode(POSITION, PENDING);

        assertThat(cursor).matches("[A-Za-z0-9_-]{66}");
        assertThat(CURSORS.decode(cursor, new ListQuery(PENDING.status(), PENDING.actionType(), 3, Optional.empty())))
                .isEqualTo(POSITION);
    }

    @Test
    void aCursorOfOtherFilters_isRefused() {
        String cursor = CURSORS.encode(POSITION, PENDING);

        for (ListQuery other : new ListQuery[]{query(Optional.empty(), Optional.of("refund")),
                query(Optional.of(ApprovalStatus.PENDING), Optional.empty()),
                query(Optional.of(ApprovalStatus.APPROVED), Optional.of("refund")),
                query(Optional.of(ApprovalStatus.PENDING), Optional.of("refunds"))}) {
            assertThatThrownBy(() -> CURSORS.decode(cursor, other)).isInstanceOf(InvalidDecisionRequestException.class)
                    .hasMessageContaining("other filters");
        }
    }

    @Test
    void everyAlteredByte_isRefused() {
        byte[] bytes = Base64.getUrlDecoder().decode(CURSORS.encode(POSITION, PENDING));
        for (int i = 1; i < bytes.length; i++) {
            byte[] altered = bytes.clone();
            altered[i] ^= 0x01;
            String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(altered);

            assertThatThrownBy(() -> CURSORS.decode(cursor, PENDING)).as("byte %d", i)
                    .isInstanceOf(InvalidDecisionRequestException.class).hasMessageContaining("not a cursor this API issued");
        }
    }

    @Test
    void anotherKey_anotherFormat_aTruncatedOrEmptyCursor_areRefused() {
        String cursor = CURSORS.encode(POSITION, PENDING);
        Cursors otherKey = new Cursors("o".repeat(64).getBytes(StandardCharsets.UTF_8));
        byte[] reformatted = Base64.getUrlDecoder().decode(cursor);
        reformatted[0] = 2;

        assertThatThrownBy(() -> otherKey.decode(cursor, PENDING)).hasMessageContaining("not a cursor this API issued");
        assertThatThrownBy(() -> CURSORS.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(reformatted),
                PENDING)).hasMessageContaining("another version");
        assertThatThrownBy(() -> CURSORS.decode(cursor.substring(0, 40), PENDING)).hasMessageContaining("not a cursor");
        assertThatThrownBy(() -> CURSORS.decode("", PENDING)).hasMessageContaining("not a cursor");
        assertThatThrownBy(() -> CURSORS.decode("***", PENDING)).hasMessageContaining("not a cursor");
    }

    @Test
    void aShortKey_isRefused() {
        assertThatThrownBy(() -> new Cursors(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }
}
