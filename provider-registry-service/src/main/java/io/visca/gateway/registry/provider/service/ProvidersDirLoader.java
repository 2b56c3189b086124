package io.visca.gateway.registry.provider.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.registry.config.RegistryConfig;
import io.visca.gateway.registry.instances.StartupLock;
import io.visca.gateway.registry.provider.advice.FieldWarning;
import io.visca.gateway.registry.provider.advice.PlainHttpAdvice;
import io.visca.gateway.registry.provider.mapping.ProviderDocument;
import io.visca.gateway.registry.provider.mapping.ProviderDocumentParser;

/**
 * Seeds the registry from {@code PROVIDERS_DIR} at start: each {@code *.json} file whose provider does not exist yet
 * is created; existing providers are left untouched (the API is the source of truth once they exist). A file that
 * fails validation is logged with its violations, never with its content, and skipped: a bad file never stops the
 * service. A created provider's plain-http URLs to hosts that are not loopback or private are logged as warnings
 * ({@link PlainHttpAdvice}). Runs on the startup thread (blocking file reads are fine there).
 */
@ApplicationScoped
public class ProvidersDirLoader {

    private static final Logger LOG = Logger.getLogger(ProvidersDirLoader.class);

    private final ProviderService service;
    private final RegistryConfig config;
    private final StartupLock startupLock;
    private final ProviderDocumentParser parser = new ProviderDocumentParser();

    ProvidersDirLoader(ProviderService service, RegistryConfig config, StartupLock startupLock) {
        this.service = service;
        this.config = config;
        this.startupLock = startupLock;
    }

    void onStart(@Observes StartupEvent event) {
        config.providersDir().filter(dir -> !dir.isBlank())
                .ifPresent(dir -> startupLock.run("loading PROVIDERS_DIR", () -> load(Path.of(dir))));
    }

    /**
     * Loads every {@code *.json} file of {@code dir}, in name order. Blocks: call it off the event loop.
     */
    public Report load(Path dir) {
        Report report = new Report(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        if (!Files.isDirectory(dir)) {
            LOG.warnf("PROVIDERS_DIR %s is not a readable folder; no provider loaded from it", dir.toAbsolutePath());
            return report;
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f))
                    .sorted().toList();
        } catch (IOException e) {
            LOG.warnf("PROVIDERS_DIR %s cannot be listed (%s); no provider loaded from it", dir.toAbsolutePath(),
                    e.getMessage());
            return report;
        }
        for (Path file : files) {
            loadFile(file, report);
        }
        LOG.infof("PROVIDERS_DIR %s: %d created, %d already present, %d rejected", dir.toAbsolutePath(),
                report.created().size(), report.existing().size(), report.rejected().size());
        return report;
    }

    private void loadFile(Path file, Report report) {
        String name = file.getFileName().toString();
        try {
            ProviderDocument document = parser.parse(Files.readString(file, StandardCharsets.UTF_8));
            Boolean created = VertxContextSupport.subscribeAndAwait(() -> service.createIfAbsent(document));
            (created ? report.created() : report.existing()).add(name);
            if (created) {
                LOG.infof("PROVIDERS_DIR: created provider %s from %s", document.config().name(), name);
                for (FieldWarning warning : PlainHttpAdvice.of(document)) {
                    LOG.warnf("PROVIDERS_DIR: %s (provider %s): %s: %s", name, document.config().name(),
                            warning.field(), warning.message());
                }
            }
        } catch (ApiException e) {
            report.rejected().add(name);
            LOG.warnf("PROVIDERS_DIR: %s rejected, not loaded: %s", name, e.problems());
        } catch (IOException e) {
            report.rejected().add(name);
            LOG.warnf("PROVIDERS_DIR: %s cannot be read: %s", name, e.getMessage());
        } catch (Throwable e) {
            report.rejected().add(name);
            LOG.errorf(e, "PROVIDERS_DIR: loading %s failed", name);
        }
    }

    /** File names by outcome. */
    public record Report(List<String> created, List<String> existing, List<String> rejected) {
    }
}
