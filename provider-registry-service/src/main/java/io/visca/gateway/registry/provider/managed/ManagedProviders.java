package io.visca.gateway.registry.provider.managed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.registry.config.RegistryConfig;
import io.visca.gateway.registry.instances.StartupLock;
import io.visca.gateway.registry.provider.mapping.ProviderDocument;
import io.visca.gateway.registry.provider.mapping.ProviderDocumentParser;
import io.visca.gateway.registry.provider.repository.ManagedSeedEntity;
import io.visca.gateway.registry.provider.repository.ManagedSeedRepository;
import io.visca.gateway.registry.provider.repository.ProviderEntity;
import io.visca.gateway.registry.provider.repository.ProviderRepository;
import io.visca.gateway.registry.provider.service.ProviderService;

/**
 * Seeds the managed providers ({@code openai}, {@code anthropic}) at start from the catalogue built into the registry
 * ({@link ManagedCatalogue#BUILT_IN}) or the file {@code GATEWAY_MANAGED_PROVIDERS_FILE} names, unless
 * {@code GATEWAY_MANAGED_PROVIDERS=false}. Runs after {@code PROVIDERS_DIR} (the operator's own files win a name).
 * Every provider goes through {@link ProviderService} and the API's parser, as {@code PROVIDERS_DIR} does. What was
 * seeded is remembered in {@code managed_seed}:
 * <ul>
 * <li>a name seen for the first time is created (or, when the operator's own provider has it, recorded as never
 * managed);</li>
 * <li>a managed provider the operator removed is not created again;</li>
 * <li>a catalogue with another {@code as_of} replaces a managed provider whose stored document is still the one
 * seeded (same hash; {@code enabled} does not count), and leaves an edited one alone (logged).</li>
 * </ul>
 * A catalogue file that cannot be read or has the wrong shape seeds nothing (logged as an error, the service starts):
 * falling back to the built-in one would create providers the operator chose to replace. A provider of the catalogue
 * that fails validation is logged with its violations and skipped. Runs on the startup thread (blocking is fine).
 */
@ApplicationScoped
public class ManagedProviders {

    private static final Logger LOG = Logger.getLogger(ManagedProviders.class);

    private final ProviderService service;
    private final ProviderRepository providers;
    private final ManagedSeedRepository seeds;
    private final RegistryConfig config;
    private final ObjectMapper json;
    private final StartupLock startupLock;
    private final ProviderDocumentParser parser = new ProviderDocumentParser();

    ManagedProviders(ProviderService service, ProviderRepository providers, ManagedSeedRepository seeds,
            RegistryConfig config, ObjectMapper json, StartupLock startupLock) {
        this.service = service;
        this.providers = providers;
        this.seeds = seeds;
        this.config = config;
        this.json = json;
        this.startupLock = startupLock;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        if (!config.managedProviders().enabled()) {
            LOG.info("managed providers: not seeded (GATEWAY_MANAGED_PROVIDERS=false)");
            return;
        }
        // one instance at a time: two seeding at once would each find no seed row, and the one whose create found the
        // provider made would record it as the operator's own
        startupLock.run("seeding the managed providers",
                () -> seed(config.managedProviders().file().filter(f -> !f.isBlank()).map(Path::of).orElse(null)));
    }

    /**
     * Seeds from {@code file}, or from the built-in catalogue when it is null. Never throws: a bad catalogue is
     * logged and seeds nothing. Blocks: call it off the event loop.
     */
    public Report seed(Path file) {
        String source = file == null ? "built-in catalogue " + ManagedCatalogue.BUILT_IN
                : "GATEWAY_MANAGED_PROVIDERS_FILE " + file.toAbsolutePath();
        ManagedCatalogue catalogue;
        try {
            catalogue = ManagedCatalogue.parse(file == null ? builtIn()
                    : Files.readString(file,
                            StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            String reason = e instanceof IOException ? "cannot be read (" + e.getClass().getSimpleName() + ")"
                    : "is not a managed provider catalogue: " + e.getMessage();
            LOG.errorf("managed providers: the %s %s; no managed provider seeded or updated", source, reason);
            return Report.failed(reason);
        }
        Report report = Report.empty();
        for (int i = 0; i < catalogue.providers().size(); i++) {
            seedOne(catalogue, i, report);
        }
        LOG.infof("managed providers from the %s (as of %s): %d created, %d updated, %d unchanged, %d edited and "
                + "kept, %d removed and not re-created, %d the operator's own, %d rejected", source, catalogue.asOf(),
                report.created().size(), report.updated().size(), report.unchanged().size(), report.edited().size(),
                report.removed().size(), report.notManaged().size(), report.rejected().size());
        return report;
    }

    private void seedOne(ManagedCatalogue catalogue, int index, Report report) {
        var written = catalogue.providers().get(index).get("name");
        String label = written != null && written.isTextual() ? written.asText() : "providers[" + index + "]";
        try {
            ProviderDocument document = parser.parse(catalogue.providers().get(index));
            String name = document.config().name();
            ManagedSeedEntity seed = await(() -> Panache.withSession(() -> seeds.findById(name)));
            if (seed == null) {
                boolean created = await(() -> service.createIfAbsent(document));
                record(name, catalogue, created);
                (created ? report.created() : report.notManaged()).add(name);
                if (created) {
                    LOG.infof("managed providers: created %s", name);
                } else {
                    LOG.infof("managed providers: %s exists already as the operator's own provider; left as it is "
                            + "and never managed", name);
                }
            } else if (seed.documentHash == null) {
                report.notManaged().add(name);
            } else {
                ProviderEntity stored = await(() -> Panache.withSession(() -> providers.findById(name)));
                if (stored == null || !stored.createdAt.equals(seed.providerCreatedAt)) {
                    report.removed().add(name);
                } else if (seed.catalogueAsOf.equals(catalogue.asOf())) {
                    report.unchanged().add(name);
                } else if (!seed.documentHash.equals(hash(await(() -> service.getStored(name))))) {
                    report.edited().add(name);
                    LOG.infof("managed providers: %s was edited since it was seeded from the catalogue of %s; the "
                            + "catalogue of %s does not replace it", name, seed.catalogueAsOf, catalogue.asOf());
                } else {
                    await(() -> service.replace(name, document));
                    record(name, catalogue, true);
                    report.updated().add(name);
                    LOG.infof("managed providers: updated %s from the catalogue of %s to that of %s", name,
                            seed.catalogueAsOf, catalogue.asOf());
                }
            }
        } catch (ApiException e) {
            report.rejected().add(label);
            LOG.warnf("managed providers: %s rejected, not seeded: %s", label, e.problems());
        } catch (Throwable e) {
            report.rejected().add(label);
            LOG.errorf(e, "managed providers: seeding %s failed", label);
        }
    }

    /** Records (or updates) what was seeded: the stored document's hash and row, or the operator's own name. */
    private void record(String name, ManagedCatalogue catalogue, boolean managed) throws Throwable {
        String hash = managed ? hash(await(() -> service.getStored(name))) : null;
        await(() -> Panache.withTransaction(() -> providers.findById(name).chain(provider -> seeds.findById(name)
                .chain(existing -> {
                    ManagedSeedEntity seed = existing == null ? new ManagedSeedEntity() : existing;
                    seed.name = name;
                    seed.seededAt = Instant.now();
                    seed.catalogueAsOf = catalogue.asOf();
                    seed.documentHash = hash;
                    seed.providerCreatedAt = managed && provider != null ? provider.createdAt : null;
                    return existing == null ? seeds.persist(seed) : Uni.createFrom().item(seed);
                }))));
    }

    /** SHA-256 (hex) of the stored document, {@code enabled} left out: disabling is not an edit of the config. */
    String hash(ProviderConfig stored) {
        try {
            byte[] document = json.writeValueAsBytes(stored.withEnabled(true));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(document));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("hashing provider " + stored.name() + " failed", e);
        }
    }

    private static String builtIn() throws IOException {
        try (InputStream in = Thread.currentThread().getContextClassLoader()
                .getResourceAsStream(ManagedCatalogue.BUILT_IN)) {
            if (in == null) {
                throw new IOException("resource " + ManagedCatalogue.BUILT_IN + " missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static <T> T await(java.util.function.Supplier<Uni<T>> work) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(work);
    }

    /** Provider names by outcome; {@code catalogueError} when the catalogue itself was refused (nothing seeded). */
    public record Report(String catalogueError, List<String> created, List<String> updated, List<String> unchanged,
            List<String> edited, List<String> removed, List<String> notManaged, List<String> rejected) {

        static Report empty() {
            return new Report(null, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                    new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        static Report failed(String reason) {
            return new Report(reason, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
        }
    }
}
