package io.visca.gateway.router.usage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * How one event is framed in a spool segment: {@code [int length][int crc32c][payload]}, the payload being
 * {@code [byte format][int key length][key, UTF-8][value]} and the checksum covering the payload. A frame that is cut
 * short, has an impossible length or a wrong checksum ends the valid part of a segment (a torn write).
 */
final class SpoolRecords {

    static final int HEADER = 8;
    /** A larger length can only be garbage: events are a few kilobytes. */
    static final int MAX_PAYLOAD = 16 * 1024 * 1024;
    private static final byte FORMAT = 1;

    private SpoolRecords() {
    }

    /** An event read back: its position in the spool, the position after it, its key and its value. */
    record Entry(long position, long next, String key, byte[] value) {
    }

    /** The frame of one event, ready to write. */
    static byte[] frame(String key, byte[] value) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        int payload = 1 + 4 + keyBytes.length + value.length;
        if (payload > MAX_PAYLOAD) {
            throw new IllegalArgumentException("event of " + payload + " bytes is larger than the spool accepts");
        }
        ByteBuffer out = ByteBuffer.allocate(HEADER + payload);
        out.putInt(payload).putInt(0).put(FORMAT).putInt(keyBytes.length).put(keyBytes).put(value);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), HEADER, payload);
        out.putInt(4, (int) crc.getValue());
        return out.array();
    }

    /**
     * Decodes the frame at the buffer's position, if it is whole and valid; advances the buffer past it.
     *
     * @return the entry, or null when the buffer holds no whole valid frame there (the position is then unchanged)
     */
    static Entry decode(ByteBuffer in, long position) {
        if (in.remaining() < HEADER) {
            return null;
        }
        int start = in.position();
        int length = in.getInt(start);
        if (length < 5 || length > MAX_PAYLOAD || in.remaining() < HEADER + length) {
            return null;
        }
        CRC32C crc = new CRC32C();
        ByteBuffer payload = in.duplicate().position(start + HEADER).limit(start + HEADER + length);
        crc.update(payload);
        if ((int) crc.getValue() != in.getInt(start + 4) || in.get(start + HEADER) != FORMAT) {
            return null;
        }
        int keyLength = in.getInt(start + HEADER + 1);
        if (keyLength < 0 || keyLength > length - 5) {
            return null;
        }
        byte[] key = new byte[keyLength];
        byte[] value = new byte[length - 5 - keyLength];
        in.position(start + HEADER + 5);
        in.get(key).get(value);
        return new Entry(position, position + HEADER + length, new String(key, StandardCharsets.UTF_8), value);
    }

    /** The length of the whole frame that starts at the buffer's position; -1 when that is no frame start. */
    static int wholeLength(ByteBuffer in) {
        int length = in.getInt(in.position());
        return length < 5 || length > MAX_PAYLOAD ? -1 : HEADER + length;
    }

    /**
     * Walks the valid frames of a segment file from {@code from} (a frame boundary) and stops at the first that is
     * torn or corrupt.
     *
     * @return {@code [the valid end (a file offset), the number of valid frames]}
     */
    static long[] scan(FileChannel file, long from) throws IOException {
        long size = file.size();
        long offset = from;
        long count = 0;
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        while (offset < size) {
            readAt(file, buffer, offset, size);
            long chunk = offset;
            while (true) {
                long at = chunk + buffer.position();
                offset = at;
                if (buffer.remaining() < HEADER) {
                    if (at + HEADER > size) {
                        return new long[] { at, count }; // a torn header at the end
                    }
                    break; // the next header starts in the next chunk
                }
                int whole = wholeLength(buffer);
                if (whole < 0 || at + whole > size) {
                    return new long[] { at, count };
                }
                if (whole > buffer.remaining()) {
                    if (whole > buffer.capacity()) {
                        buffer = ByteBuffer.allocate(whole);
                    }
                    break;
                }
                if (decode(buffer, at) == null) {
                    return new long[] { at, count };
                }
                count++;
            }
        }
        return new long[] { offset, count };
    }

    /** Fills the buffer from the file at {@code offset}, up to its capacity or the file's end; flipped for reading. */
    static void readAt(FileChannel file, ByteBuffer buffer, long offset, long end) throws IOException {
        buffer.clear();
        if (end - offset < buffer.capacity()) {
            buffer.limit((int) (end - offset));
        }
        while (buffer.hasRemaining()) {
            if (file.read(buffer, offset + buffer.position()) < 0) {
                break;
            }
        }
        buffer.flip();
    }
}
