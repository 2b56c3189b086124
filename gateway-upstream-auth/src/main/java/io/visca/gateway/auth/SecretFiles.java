package io.visca.gateway.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Secrets from a directory of files, one per secret, named as the reference ({@code ${OPENAI_API_KEY}} reads the file
 * {@code OPENAI_API_KEY}): the way Kubernetes and Docker mount secrets ({@code GATEWAY_SECRETS_DIR}). The content is
 * the value, trailing line breaks removed.
 * <p>
 * Built for the router's event loop: {@link #get} reads a map in memory and never touches the disk. The directory is
 * read by {@link #refresh()}, once when {@link #watch} starts and then every interval on a daemon thread of its own, so
 * that rotated secrets (Kubernetes swaps mounted files in place) are seen without a restart. Only names of the
 * reference syntax that the {@link SecretPolicy} allows are read; other files (Kubernetes' {@code ..data} links,
 * the gateway's own credentials) are left alone. A file over {@link #MAX_BYTES}, or one that cannot be read, is
 * logged by name and skipped (an unreadable file keeps its last value). Values are never logged.
 */
public final class SecretFiles implements AutoCloseable {

    /** The largest secret file read; larger ones are skipped. */
    public static final int MAX_BYTES = 64 * 1024;

    private static final System.Logger LOG = System.getLogger(SecretFiles.class.getName());
    private static final Pattern NAME = Pattern.compile(SecretResolver.NAME_SYNTAX);

    private final Path directory;
    private final Predicate<String> readable;
    private volatile Map<String, String> values = Map.of();
    private Set<String> lastNames;
    private boolean lastMissing;
    private ScheduledExecutorService refresher;

    private SecretFiles(Path directory, Predicate<String> readable) {
        this.directory = directory;
        this.readable = readable;
    }

    /** Reads {@code directory} once; {@link #refresh()} reads it again. Blocks: call it off the event loop. */
    public static SecretFiles read(Path directory, SecretPolicy policy) {
        SecretFiles files = new SecretFiles(directory, policy::allows);
        files.refresh();
        return files;
    }

    /**
     * Reads {@code directory} now (blocks: call it at startup, off the event loop), then again every {@code interval}
     * on a daemon thread until {@link #close()}.
     */
    public static SecretFiles watch(Path directory, SecretPolicy policy, Duration interval) {
        SecretFiles files = read(directory, policy);
        long millis = Math.max(1, interval.toMillis());
        files.refresher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "secret-files-refresh");
            thread.setDaemon(true);
            return thread;
        });
        files.refresher.scheduleWithFixedDelay(files::refresh, millis, millis, TimeUnit.MILLISECONDS);
        return files;
    }

    public Path directory() {
        return directory;
    }

    /** The secret named {@code name} as last read, or null; never blocks. */
    public String get(String name) {
        return values.get(name);
    }

    /** Reads the directory again (blocks); errors are logged, never thrown. */
    public synchronized void refresh() {
        try {
            if (!Files.isDirectory(directory)) {
                if (!lastMissing) {
                    LOG.log(System.Logger.Level.WARNING, "GATEWAY_SECRETS_DIR {0} is not a readable directory: no "
                            + "secret is read from files until it is", directory.toAbsolutePath());
                    lastMissing = true;
                }
                publish(Map.of());
                return;
            }
            lastMissing = false;
            Map<String, String> read = new HashMap<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (NAME.matcher(name).matches() && readable.test(name) && Files.isRegularFile(entry)) {
                        readOne(entry, name, read);
                    }
                }
            }
            publish(read);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "GATEWAY_SECRETS_DIR {0} cannot be read ({1}); the secrets read "
                    + "before are kept", directory.toAbsolutePath(), e.getClass().getSimpleName());
        }
    }

    private void readOne(Path file, String name, Map<String, String> read) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                LOG.log(System.Logger.Level.WARNING, "secret file {0} is over {1} bytes and is not read", name,
                        MAX_BYTES);
                return;
            }
            String value = stripLineBreaks(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            if (!value.isEmpty()) {
                read.put(name, value);
            }
        } catch (IOException | RuntimeException e) {
            String previous = values.get(name);
            if (previous != null) {
                read.put(name, previous);
            }
            LOG.log(System.Logger.Level.WARNING, "secret file {0} cannot be read ({1}){2}", name,
                    e.getClass().getSimpleName(), previous == null ? "" : "; its last value is kept");
        }
    }

    private void publish(Map<String, String> read) {
        values = Map.copyOf(read);
        Set<String> names = new TreeSet<>(read.keySet());
        if (!names.equals(lastNames)) {
            LOG.log(System.Logger.Level.INFO, "GATEWAY_SECRETS_DIR {0}: {1} secret file(s) {2}",
                    directory.toAbsolutePath(), names.size(), names);
            lastNames = names;
        }
    }

    /** The value as written in a file: without the line break(s) editors and {@code echo} add at the end. */
    static String stripLineBreaks(String content) {
        int end = content.length();
        while (end > 0 && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r')) {
            end--;
        }
        return content.substring(0, end);
    }

    /** Stops the periodic refresh. */
    @Override
    public void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }
}
