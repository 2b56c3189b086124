package io.visca.gateway.router.usage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The appending side of a {@link UsageSpool}, used by one thread: frames go into a buffer, the buffer into the active
 * segment ({@link #push()}, or when it is full), and {@link #flush()} fsyncs it and only then shows the new end to the
 * reader. A segment that reached
 * {@code segmentBytes} is closed and a new one started (also at every start, so a recovered segment never grows).
 * A failed write forgets what was appended since the last good flush and truncates the segment back to it.
 */
final class SpoolWriter {

    private final UsageSpool spool;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
    private SpoolSegment active;
    private FileChannel file;
    private long end;
    private long durable;
    private int unflushed;

    SpoolWriter(UsageSpool spool, long start) {
        this.spool = spool;
        this.end = start;
        this.durable = start;
    }

    boolean append(String key, byte[] value) throws UsageSpool.WriteFailed {
        byte[] frame = SpoolRecords.frame(key, value);
        if (spool.sizeBytes() + frame.length > spool.maxBytes()) {
            return false;
        }
        try {
            if (active == null || (end > active.base && end - active.base + frame.length > spool.segmentBytes())) {
                roll();
            }
            if (frame.length > buffer.remaining()) {
                writeOut();
            }
            if (frame.length > buffer.capacity()) {
                ByteBuffer large = ByteBuffer.wrap(frame);
                while (large.hasRemaining()) {
                    file.write(large);
                }
            } else {
                buffer.put(frame);
            }
        } catch (UsageSpool.WriteFailed e) {
            throw e;
        } catch (IOException e) {
            throw new UsageSpool.WriteFailed(rollback(), e);
        }
        end += frame.length;
        unflushed++;
        spool.appended(frame.length);
        return true;
    }

    boolean dirty() {
        return end != durable;
    }

    void flush() throws UsageSpool.WriteFailed {
        if (!dirty()) {
            return;
        }
        try {
            writeOut();
            file.force(false);
        } catch (IOException e) {
            throw new UsageSpool.WriteFailed(rollback(), e);
        }
        unflushed = 0;
        durable = end;
        active.end = end;
        spool.durable(end);
    }

    /**
     * Writes what is buffered to the segment file without an fsync: from then on it survives the process being
     * killed (the bytes are the OS's), not yet a crash of the machine. Recovery keeps every whole, checksummed frame.
     */
    void push() throws UsageSpool.WriteFailed {
        if (buffer.position() == 0) {
            return;
        }
        try {
            writeOut();
        } catch (IOException e) {
            throw new UsageSpool.WriteFailed(rollback(), e);
        }
    }

    private void writeOut() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            file.write(buffer);
        }
        buffer.clear();
    }

    private void roll() throws IOException {
        if (active != null) {
            flush();
            closeActive();
        }
        Path path = spool.dir().resolve(SpoolSegment.fileName(end));
        file = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        active = new SpoolSegment(end, path, end, false);
        spool.added(active);
        try (FileChannel directory = FileChannel.open(spool.dir(), StandardOpenOption.READ)) {
            directory.force(true); // the new file's name is durable too
        } catch (IOException e) {
            // not every file system can fsync a directory
        }
    }

    /** Forgets what was appended since the last good flush, after a failed write; @return how many events. */
    private int rollback() {
        int lost = unflushed;
        unflushed = 0;
        buffer.clear();
        spool.forgotten(end - durable, lost);
        end = durable;
        if (active != null) {
            try {
                file.truncate(durable - active.base);
                file.position(durable - active.base);
            } catch (IOException e) {
                closeActive(); // the next append starts a new segment
            }
        }
        return lost;
    }

    private void closeActive() {
        SpoolSegment closing = active;
        abandon();
        active = null;
        file = null;
        closing.closed = true;
        if (closing.end == closing.base) {
            spool.removed(closing);
            closing.delete();
        }
    }

    /** Flushes and closes the active segment for good. */
    void close() throws UsageSpool.WriteFailed {
        flush();
        if (active != null) {
            closeActive();
        }
    }

    /** Closes the file without writing anything more, as a process that died would. */
    void abandon() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // every byte that counts was fsynced
            }
        }
    }
}
