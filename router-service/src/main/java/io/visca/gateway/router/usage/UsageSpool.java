package io.visca.gateway.router.usage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import io.visca.gateway.router.usage.SpoolRecords.Entry;

/**
 * A bounded, durable, ordered log of events on local disk, between the router and Kafka: one thread appends, one
 * reads in order and commits what Kafka acknowledged. Events are framed with a checksum ({@link SpoolRecords}) in
 * segment files named by the spool position they start at; the writer buffers them, writes them to the file
 * ({@link #writeOut()}: they survive the process from then on) and makes them durable with one fsync per
 * {@link #flush()}, and only then may the reader see them. The reader's committed position (the checkpoint)
 * is kept in a file of its own, replaced atomically; segments wholly below it are deleted. On {@link #open} a torn
 * last frame (a crash in the middle of a write) is cut off, reading resumes at the checkpoint and writing starts a
 * new segment. Delivery is at least once: what was sent after the last persisted checkpoint is sent again.
 * <p>
 * The spool holds at most {@code maxBytes} on disk: {@link #append} refuses an event that does not fit. One process
 * at a time: the directory is locked.
 */
public final class UsageSpool implements Closeable {

    private static final Logger LOG = Logger.getLogger(UsageSpool.class);
    private static final long PERSIST_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final SpoolCheckpoint checkpointFile;
    private final ConcurrentSkipListMap<Long, SpoolSegment> segments = new ConcurrentSkipListMap<>();
    private final AtomicLong sizeBytes = new AtomicLong();
    private final AtomicLong pendingEvents = new AtomicLong();
    private SpoolWriter writer;
    private volatile long durableEnd;
    // the reader's thread
    private ByteBuffer readBuffer = ByteBuffer.allocate(1 << 20);
    private volatile long checkpoint;
    private long persisted;
    private long persistedAt;
    private volatile Thread waiting;

    private UsageSpool(Path dir, long maxBytes, long segmentBytes, FileChannel lockFile, FileLock lock) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.lockFile = lockFile;
        this.lock = lock;
        this.checkpointFile = new SpoolCheckpoint(dir);
    }

    /** An append the disk refused; the events appended since the last good flush are lost with it. */
    public static final class WriteFailed extends IOException {
        public final int lost;

        WriteFailed(int lost, IOException cause) {
            super(cause.getMessage(), cause);
            this.lost = lost;
        }
    }

    /** What one {@link #read} found: the events, and the position to read from next. */
    public record Batch(List<Entry> entries, long next) {
    }

    /** Opens (or creates) the spool in {@code dir}, recovering what an earlier process left. */
    public static UsageSpool open(Path dir, long maxBytes, long segmentBytes) throws IOException {
        Files.createDirectories(dir);
        FileChannel lockFile = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockFile.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockFile.close();
            throw new IOException("the usage spool " + dir.toAbsolutePath() + " is in use by another process: give "
                    + "each router instance a directory of its own (router.usage.spool.dir)");
        }
        UsageSpool spool = new UsageSpool(dir, maxBytes, segmentBytes, lockFile, lock);
        try {
            spool.recover();
        } catch (IOException | RuntimeException e) {
            spool.abandon();
            throw e;
        }
        return spool;
    }

    private void recover() throws IOException {
        long saved = checkpointFile.read();
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.getFileName().toString().matches("\\d{20}\\.seg")).sorted().toList();
        }
        for (Path file : files) {
            long base = Long.parseLong(file.getFileName().toString().substring(0, 20));
            long size = Files.size(file);
            long end = base + size;
            if (saved < 0 || end > saved) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    long[] valid = SpoolRecords.scan(channel, Math.max(0, saved - base));
                    if (valid[0] < size) {
                        channel.truncate(valid[0]);
                        channel.force(true);
                        LOG.warnf("usage spool: %s ended in %d bytes that are no whole event (a write cut short, "
                                + "e.g. by a crash): dropped them", file, size - valid[0]);
                    }
                    end = base + valid[0];
                    pendingEvents.addAndGet(valid[1]);
                }
            }
            if (end == base) {
                Files.delete(file);
                continue;
            }
            segments.put(base, new SpoolSegment(base, file, end, true));
            sizeBytes.addAndGet(end - base);
        }
        long last = segments.isEmpty() ? Math.max(0, saved) : segments.lastEntry().getValue().end;
        long first = segments.isEmpty() ? last : segments.firstKey();
        long resume = saved < first ? first : saved;
        if (resume > last) {
            LOG.warnf("usage spool: the checkpoint (%d) lies past the spool's end (%d): resuming at the end", resume,
                    last);
            resume = last;
        }
        writer = new SpoolWriter(this, last);
        durableEnd = last;
        checkpoint = resume;
        persisted = saved;
        deleteSent();
        if (pendingEvents.get() > 0) {
            LOG.infof("usage spool %s: %d usage-recorded events from an earlier run wait to be sent", dir,
                    pendingEvents.get());
        }
    }

    // ---- the writer's side (one thread) ------------------------------------------------------------------------

    /**
     * Appends one event (buffered: durable after the next {@link #flush()}).
     *
     * @return false when the event does not fit in {@code maxBytes}: it is not kept
     * @throws WriteFailed when the disk refused a write; this event is not kept either
     */
    public boolean append(String key, byte[] value) throws WriteFailed {
        return writer.append(key, value);
    }

    /** Whether events were appended since the last flush. */
    public boolean dirty() {
        return writer.dirty();
    }

    /**
     * Writes what is buffered to the segment file, not fsynced: it survives the process being killed from then on (a
     * restart's recovery keeps it), not a crash of the machine.
     */
    public void writeOut() throws WriteFailed {
        writer.push();
    }

    /** Writes what is buffered and fsyncs it; the reader may then see it. */
    public void flush() throws WriteFailed {
        writer.flush();
    }

    void appended(int bytes) {
        sizeBytes.addAndGet(bytes);
        pendingEvents.incrementAndGet();
    }

    void forgotten(long bytes, int events) {
        sizeBytes.addAndGet(-bytes);
        pendingEvents.addAndGet(-events);
    }

    void durable(long end) {
        durableEnd = end;
        Thread reader = waiting;
        if (reader != null) {
            LockSupport.unpark(reader);
        }
    }

    void added(SpoolSegment segment) {
        segments.put(segment.base, segment);
    }

    void removed(SpoolSegment segment) {
        segments.remove(segment.base, segment);
    }

    long segmentBytes() {
        return segmentBytes;
    }

    // ---- the reader's side ----------------------------------------------------------------------------------------

    /** The position reading resumes at: everything before it was acknowledged. */
    public long checkpoint() {
        return checkpoint;
    }

    /** Up to {@code max} durable events from {@code from} (a position a batch ended at, or the checkpoint) on. */
    public Batch read(long from, int max) throws IOException {
        List<Entry> entries = new ArrayList<>(Math.min(max, 256));
        long position = from;
        while (entries.size() < max) {
            var floor = segments.floorEntry(position);
            if (floor == null) {
                var first = segments.firstEntry();
                if (first == null) {
                    break;
                }
                position = first.getKey(); // below the first segment: everything there was sent and deleted
                continue;
            }
            SpoolSegment segment = floor.getValue();
            boolean closed = segment.closed; // read before end: a closed segment's end is final
            long end = segment.end;
            if (position < end) {
                long next = read(segment, position, end, max, entries);
                if (next < 0) {
                    return new Batch(entries, end); // the rest of that segment is unreadable: skipped
                }
                position = next;
                continue;
            }
            Long later = closed ? segments.higherKey(segment.base) : null;
            if (later == null) {
                break;
            }
            position = later;
        }
        return new Batch(entries, position);
    }

    /** Adds the segment's events from {@code from} to {@code entries}; @return where it stopped, -1 at bad data. */
    private long read(SpoolSegment segment, long from, long end, int max, List<Entry> entries) throws IOException {
        FileChannel file = segment.reader();
        long at = from;
        while (entries.size() < max && at < end) {
            SpoolRecords.readAt(file, readBuffer, at - segment.base, end - segment.base);
            while (entries.size() < max && at < end) {
                if (readBuffer.remaining() < SpoolRecords.HEADER) {
                    if (at + SpoolRecords.HEADER > end) {
                        return corrupt(segment, at, end);
                    }
                    break; // the next frame starts in the next chunk
                }
                int whole = SpoolRecords.wholeLength(readBuffer);
                if (whole < 0 || whole > end - at) {
                    return corrupt(segment, at, end);
                }
                if (whole > readBuffer.remaining()) {
                    if (whole > readBuffer.capacity()) {
                        readBuffer = ByteBuffer.allocate(whole);
                    }
                    break; // read it whole with the next chunk
                }
                Entry entry = SpoolRecords.decode(readBuffer, at);
                if (entry == null) {
                    return corrupt(segment, at, end);
                }
                entries.add(entry);
                at = entry.next();
            }
        }
        return at;
    }

    /** Durable frames do not go bad by themselves: the disk (or someone) changed the file. */
    private static long corrupt(SpoolSegment segment, long at, long end) {
        LOG.errorf("usage spool: %s holds no valid event at position %d (the file was changed on disk): skipping "
                + "its %d bytes up to %d", segment.path, at, end - at, end);
        return -1;
    }

    /** Waits up to {@code nanos} for events past {@code position}; idle time also persists the checkpoint. */
    public void awaitData(long position, long nanos) throws IOException {
        persistCheckpoint();
        waiting = Thread.currentThread();
        try {
            if (durableEnd <= position) {
                LockSupport.parkNanos(this, nanos);
            }
        } finally {
            waiting = null;
        }
    }

    /**
     * Everything before {@code position} was acknowledged ({@code events} of them since the last commit): reading
     * resumes there after a restart, and segments wholly before it are deleted.
     */
    public void commit(long position, int events) throws IOException {
        checkpoint = position;
        pendingEvents.addAndGet(-events);
        var first = segments.firstEntry();
        boolean deletable = first != null && first.getValue().closed && first.getValue().end <= position;
        if (deletable || System.nanoTime() - persistedAt >= PERSIST_EVERY_NANOS) {
            persistCheckpoint();
        }
        if (deletable) {
            deleteSent();
        }
    }

    private void deleteSent() {
        for (SpoolSegment segment : segments.values()) {
            if (!segment.closed || segment.end > checkpoint) {
                return;
            }
            segment.delete();
            segments.remove(segment.base);
            sizeBytes.addAndGet(-(segment.end - segment.base));
        }
    }

    private void persistCheckpoint() throws IOException {
        long position = checkpoint;
        if (position != persisted) {
            checkpointFile.save(position);
            persisted = position;
            persistedAt = System.nanoTime();
        }
    }

    // ---- both -----------------------------------------------------------------------------------------------------

    /** Events appended and not yet acknowledged. */
    public long pendingEvents() {
        return Math.max(0, pendingEvents.get());
    }

    /** Bytes of durable events not yet acknowledged. */
    public long pendingBytes() {
        return Math.max(0, durableEnd - checkpoint);
    }

    /** Bytes the spool takes on disk (what {@code maxBytes} bounds). */
    public long sizeBytes() {
        return sizeBytes.get();
    }

    public long maxBytes() {
        return maxBytes;
    }

    public Path dir() {
        return dir;
    }

    /** Flushes, saves the checkpoint and unlocks; call once the writer and the reader have stopped. */
    @Override
    public void close() throws IOException {
        try {
            writer.close();
            persistCheckpoint();
        } finally {
            abandon();
        }
    }

    /** Lets go of the files as a process that died would: nothing more is written (tests simulate a crash). */
    void abandon() {
        if (writer != null) {
            writer.abandon();
        }
        segments.values().forEach(SpoolSegment::closeReader);
        try {
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            // the lock goes with the channel
        }
    }
}
