package dev.baeum.web.labs;

import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Terminal input on its way to the container: WebSocket threads offer chunks, docker-java's stdin pump
 * reads them. Bounded, so a learner pasting megabytes cannot grow the server's memory; unlike piped
 * streams it does not care which thread writes.
 */
final class QueueInputStream extends InputStream {

    private static final byte[] EOF = new byte[0];

    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedBytes = new AtomicInteger();
    private final int capacity;
    private byte[] current;
    private int position;
    private volatile boolean closed;

    QueueInputStream(int capacity) {
        this.capacity = capacity;
    }

    /** Queues input; false (and nothing queued) when the buffer is full or closed. */
    boolean offer(byte[] data) {
        if (closed || data.length == 0) {
            return !closed;
        }
        if (queuedBytes.addAndGet(data.length) > capacity) {
            queuedBytes.addAndGet(-data.length);
            return false;
        }
        chunks.add(data);
        return true;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (current == null || position >= current.length) {
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            position = 0;
            if (current == EOF) {
                chunks.add(EOF); // stay at end for any later read
                return -1;
            }
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        queuedBytes.addAndGet(-n);
        return n;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            chunks.add(EOF);
        }
    }
}
