package io.visca.gateway.health.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The monitor's log as the tests see it: {@code target/health-monitor-tests.log} (%test writes everything there,
 * debug included). The file is appended to across runs, so a test reads what was written after its {@link #mark()}.
 */
public final class MonitorLog {

    private static final Path FILE = Path.of("target", "health-monitor-tests.log");

    private MonitorLog() {
    }

    /** Where the log ends now. */
    public static long mark() {
        try {
            return Files.exists(FILE) ? Files.size(FILE) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What was logged since the mark. */
    public static String since(long mark) {
        try {
            byte[] all = Files.readAllBytes(FILE);
            int from = (int) Math.min(mark, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything in the file, earlier runs included. */
    public static String all() {
        return since(0);
    }
}
