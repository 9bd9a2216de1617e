package dev.approvals.http;

import dev.approvals.core.ListPosition;
import dev.approvals.core.ListQuery;
import dev.approvals.errors.InvalidDecisionRequestException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * The opaque {@code cursor} of {@code GET /approvals}: where the next page starts, bound to the filters of the
 * listing it belongs to, and signed. Base64url of {@code format (1) | requested_at microseconds (8) | id (16) |
 * filter digest (8) | HMAC-SHA256 (16)}. A cursor that was altered, made up, cut short, issued for other filters
 * or in another format is refused with a 400, never followed (docs/design.md §8).
 */
public final class Cursors {

    /** Longest cursor worth decoding; real ones are 66 characters. */
    static final int MAX_LENGTH = 128;
    private static final byte FORMAT = 1;
    private static final int BODY_BYTES = 1 + 8 + 16 + 8;
    private static final int MAC_BYTES = 16;
    /** Shortest signing key accepted (256 bits). */
    public static final int MIN_KEY_BYTES = 32;

    private final SecretKeySpec key;

    /** @param key the HMAC key; at least {@value #MIN_KEY_BYTES} bytes */
    public Cursors(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("A cursor signing key needs at least " + MIN_KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** The cursor that continues {@code query}'s listing after {@code position}. */
    public String encode(ListPosition position, ListQuery query) {
        ByteBuffer body = ByteBuffer.allocate(BODY_BYTES)
                .put(FORMAT)
                .putLong(position.requestedAtMicros())
                .putLong(position.id().getMostSignificantBits())
                .putLong(position.id().getLeastSignificantBits())
                .put(filterDigest(query));
        byte[] signed = Arrays.copyOf(body.array(), BODY_BYTES + MAC_BYTES);
        System.arraycopy(mac(body.array()), 0, signed, BODY_BYTES, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(signed);
    }

    /**
     * Where {@code cursor} says the listing continues.
     *
     * @param query the filters of this request: they must be the ones the cursor was issued for
     * @throws InvalidDecisionRequestException for any cursor this API did not issue for these filters
     */
    public ListPosition decode(String cursor, ListQuery query) {
        byte[] bytes;
        try {
            bytes = cursor.length() > MAX_LENGTH ? null : Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            bytes = null;
        }
        if (bytes == null || bytes.length == 0 || (bytes[0] == FORMAT && bytes.length != BODY_BYTES + MAC_BYTES)) {
            throw invalid("cursor is not a cursor this API issued");
        }
        if (bytes[0] != FORMAT) {
            throw invalid("cursor is not one this API issued, or from another version of it; start the listing again"
                    + " without a cursor");
        }
        byte[] body = Arrays.copyOf(bytes, BODY_BYTES);
        byte[] mac = Arrays.copyOfRange(bytes, BODY_BYTES, bytes.length);
        if (!MessageDigest.isEqual(mac, Arrays.copyOf(mac(body), MAC_BYTES))) {
            throw invalid("cursor is not a cursor this API issued (or it was altered)");
        }
        if (!MessageDigest.isEqual(Arrays.copyOfRange(body, 25, BODY_BYTES), filterDigest(query))) {
            throw invalid("cursor belongs to a listing with other filters; send the status and actionType of the"
                    + " first page with it");
        }
        ByteBuffer read = ByteBuffer.wrap(body, 1, 24);
        return new ListPosition(read.getLong(), new UUID(read.getLong(), read.getLong()));
    }

    /** First 8 bytes of SHA-256 over the filters, each length-prefixed so that no two filter sets collide. */
    private static byte[] filterDigest(ListQuery query) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (String part : new String[]{query.status().map(s -> s.wireName()).orElse(null),
                    query.actionType().orElse(null)}) {
                byte[] text = part == null ? new byte[0] : part.getBytes(StandardCharsets.UTF_8);
                sha256.update(ByteBuffer.allocate(4).putInt(part == null ? -1 : text.length).array());
                sha256.update(text);
            }
            return Arrays.copyOf(sha256.digest(), 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK lacks SHA-256", e);
        }
    }

    private byte[] mac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK lacks HmacSHA256", e);
        }
    }

    private static InvalidDecisionRequestException invalid(String message) {
        return new InvalidDecisionRequestException(message);
    }
}
