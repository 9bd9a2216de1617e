package dev.approvals.core;

import java.util.Objects;
import java.util.UUID;

/**
 * Where a listing stands: the last approval shown, by its place in the listing order ({@code requested_at} to the
 * microsecond, as the database stores it, then {@code id}). The next page starts after it.
 */
public record ListPosition(long requestedAtMicros, UUID id) {

    public ListPosition {
        Objects.requireNonNull(id, "id");
    }
}
