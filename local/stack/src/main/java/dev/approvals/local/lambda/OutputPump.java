package dev.approvals.local.lambda;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A function process's output, read from the file its stdout and stderr go to (as Lambda merges them into one log
 * stream): each complete line is written out and given to the invocation running when it was read. A file, unlike
 * a pipe read by a thread, says synchronously what the function wrote before it answered.
 */
final class OutputPump {

    private final LogSink output;
    private final Supplier<Invocation> current;
    private final ByteArrayOutputStream partialLine = new ByteArrayOutputStream();
    /**
     * Reused by every drain (under this object's lock): a fresh 64 KB buffer per call cost the stack JVM more CPU
     * than the reading, at a drain per Runtime API call and one per environment every 100 ms.
     */
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private FileChannel outputChannel;
    private long outputPosition;
    private ScheduledFuture<?> outputPoller;

    OutputPump(LogSink output, Supplier<Invocation> current) {
        this.output = output;
        this.current = current;
    }

    /** Starts reading {@code file} now and every 100 ms. */
    void start(Path file, ScheduledExecutorService timers) throws IOException {
        outputChannel = FileChannel.open(file, StandardOpenOption.READ);
        outputPoller = timers.scheduleWithFixedDelay(this::drainOutput, 100, 100, TimeUnit.MILLISECONDS);
    }

    /**
     * Writes out (and gives the current invocation) every complete line the process has written since the last
     * call; with {@code all}, also a last line without a newline (the process is gone).
     */
    synchronized void drainOutput(boolean all) {
        FileChannel channel = outputChannel;
        if (channel == null) {
            return;
        }
        try {
            int read;
            while ((read = channel.read(buffer.clear(), outputPosition)) > 0) {
                outputPosition += read;
                byte[] bytes = buffer.array();
                int lineStart = 0;
                for (int i = 0; i < read; i++) {
                    if (bytes[i] == '\n') {
                        partialLine.write(bytes, lineStart, i - lineStart);
                        emit(partialLine.toString(StandardCharsets.UTF_8));
                        partialLine.reset();
                        lineStart = i + 1;
                    }
                }
                partialLine.write(bytes, lineStart, read - lineStart);
            }
            if (all && partialLine.size() > 0) {
                emit(partialLine.toString(StandardCharsets.UTF_8));
                partialLine.reset();
            }
        } catch (IOException e) {
            // the file is gone with the scratch directory: nothing more to show
        }
    }

    void drainOutput() {
        drainOutput(false);
    }

    private void emit(String line) {
        String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        output.line(text);
        Invocation invocation = current.get();
        if (invocation != null) {
            invocation.log(text);
        }
    }

    /** After the process ended: the last lines, then no more polling. */
    void closeOutput() {
        if (outputPoller != null) {
            outputPoller.cancel(false);
        }
        drainOutput(true);
        synchronized (this) {
            try {
                if (outputChannel != null) {
                    outputChannel.close();
                }
            } catch (IOException e) {
                // nothing to do
            }
            outputChannel = null;
        }
    }
}
