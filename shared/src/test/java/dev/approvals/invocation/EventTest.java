package dev.approvals.invocation;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Event#read} returns what {@code readNBytes(limit)} returns, whatever the stream says it has. */
class EventTest {

    private static final int LIMIT = 100;

    @Test
    void readsWhatReadNBytesReads_forStreamsThatKnowTheirLength_andForThoseThatDoNot() throws IOException {
        for (int size : new int[] {0, 1, 2, LIMIT - 1, LIMIT, LIMIT + 1, 5 * LIMIT}) {
            byte[] event = new byte[size];
            Arrays.fill(event, (byte) 'x');
            if (size > 0) {
                event[size - 1] = 'z'; // the last byte read must be the event's own
            }
            byte[] expected = new ByteArrayInputStream(event).readNBytes(LIMIT);
            assertThat(Event.read(new ByteArrayInputStream(event), LIMIT)).as("in memory, %d bytes", size)
                    .isEqualTo(expected);
            assertThat(Event.read(unknownLength(event, 0), LIMIT)).as("no length known, %d bytes", size)
                    .isEqualTo(expected);
            assertThat(Event.read(unknownLength(event, size / 2), LIMIT)).as("half known, %d bytes", size)
                    .isEqualTo(expected);
        }
    }

    @Test
    void leavesWhatIsOverTheLimitUnread() throws IOException {
        ByteArrayInputStream input = new ByteArrayInputStream(new byte[LIMIT + 7]);
        assertThat(Event.read(input, LIMIT)).hasSize(LIMIT);
        assertThat(input.available()).isEqualTo(7);
    }

    /** A stream that reports {@code available} bytes however many it has, and hands them out a few at a time. */
    private static InputStream unknownLength(byte[] bytes, int available) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int available() {
                return Math.min(available, bytes.length);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 3));
            }
        };
    }
}
