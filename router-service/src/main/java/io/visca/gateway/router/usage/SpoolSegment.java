package io.visca.gateway.router.usage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jboss.logging.Logger;

/**
 * One file of the spool: it holds the spool's bytes from {@code base} on (its name), up to {@link #end}. The writer
 * moves {@code end} only after an fsync, so what lies below it is durable and may be read; a segment it rolled away
 * from is {@link #closed} and never grows again.
 */
final class SpoolSegment {

    private static final Logger LOG = Logger.getLogger(SpoolSegment.class);

    final long base;
    final Path path;
    /** The spool position after the last durable frame. */
    volatile long end;
    /** No frame will be added: the writer moved on to a later segment (or it was found at start). */
    volatile boolean closed;
    /** The reader's channel, opened on first read; used by the reader's thread only. */
    private FileChannel reader;

    SpoolSegment(long base, Path path, long end, boolean closed) {
        this.base = base;
        this.path = path;
        this.end = end;
        this.closed = closed;
    }

    static String fileName(long base) {
        return String.format("%020d.seg", base);
    }

    FileChannel reader() throws IOException {
        if (reader == null) {
            reader = FileChannel.open(path, StandardOpenOption.READ);
        }
        return reader;
    }

    void closeReader() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                // nothing was written through it
            }
            reader = null;
        }
    }

    /** Closes the reader's channel and deletes the file; a failure is logged (the next start deletes it). */
    void delete() {
        closeReader();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warnf("usage spool: could not delete %s: %s", path, e.getMessage());
        }
    }
}
