package io.visca.gateway.router.usage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import org.jboss.logging.Logger;

/**
 * The spool's checkpoint file: the position reading resumes at, with a checksum, replaced atomically (written to a
 * temporary file, fsynced, renamed), so a crash leaves the old checkpoint or the new one, never half of one.
 */
final class SpoolCheckpoint {

    private static final Logger LOG = Logger.getLogger(SpoolCheckpoint.class);

    private final Path file;
    private final Path temporary;

    SpoolCheckpoint(Path dir) {
        this.file = dir.resolve("checkpoint");
        this.temporary = dir.resolve("checkpoint.tmp");
    }

    /** @return the saved position, or -1 when there is none (or it cannot be trusted) */
    long read() throws IOException {
        if (!Files.exists(file)) {
            return -1;
        }
        ByteBuffer content = ByteBuffer.wrap(Files.readAllBytes(file));
        if (content.remaining() == 12) {
            long position = content.getLong();
            if (content.getInt() == crc(position) && position >= 0) {
                return position;
            }
        }
        LOG.warnf("usage spool: %s is damaged: the spool is sent again from its first event", file);
        return -1;
    }

    void save(long position) throws IOException {
        ByteBuffer content = ByteBuffer.allocate(12).putLong(position).putInt(crc(position)).flip();
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (content.hasRemaining()) {
                out.write(content);
            }
            out.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static int crc(long position) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putLong(position).flip());
        return (int) crc.getValue();
    }
}
