package io.visca.gateway.registry.discovery.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.registry.config.RegistryConfig;
import io.visca.gateway.registry.discovery.mapping.DiscoveredModels;
import io.visca.gateway.registry.discovery.mapping.EndpointListing;
import io.visca.gateway.registry.discovery.repository.DiscoveryEntity;
import io.visca.gateway.registry.discovery.repository.DiscoveryRepository;
import io.visca.gateway.registry.instances.ScheduledRounds;
import io.visca.gateway.registry.outbox.ChangeLog;
import io.visca.gateway.registry.outbox.OutboxRelay;
import io.visca.gateway.registry.provider.client.ModelLister;
import io.visca.gateway.registry.provider.mapping.ModelDiscoveryRules;
import io.visca.gateway.registry.provider.mapping.ProviderMapper;
import io.visca.gateway.registry.provider.mapping.StoredSecrets;
import io.visca.gateway.registry.provider.repository.ProviderEntity;
import io.visca.gateway.registry.provider.repository.ProviderRepository;

/**
 * Model discovery of providers saved without {@code models}: after each save ({@link #trigger}), every
 * {@code registry.discovery.interval} and on demand ({@link #refresh}), each endpoint's model listing is read
 * ({@link ModelLister}, no transaction open meanwhile), then one transaction locks the registry revision, merges the
 * listings into the provider's {@code provider_discovery} row and, when the provider's models changed, bumps the
 * revision and writes a {@code provider-changed} event ({@code models_discovered}), so the router's snapshot gets
 * them. An endpoint that answered replaces its list; one that did not keeps its last list (a restart of one replica
 * does not take its models out of routing) until it answers again or leaves the config.
 */
@ApplicationScoped
public class ModelDiscovery {

    /** The job name of the scheduled rounds in {@code scheduled_round}. */
    static final String ROUND = "model-discovery";
    static final String PENDING = "pending";
    static final String OK = "ok";
    static final String PARTIAL = "partial";
    static final String FAILED = "failed";
    private static final int MAX_ERROR = 2000;
    private static final Logger LOG = Logger.getLogger(ModelDiscovery.class);

    private final ProviderRepository providers;
    private final DiscoveryRepository states;
    private final ProviderMapper mapper;
    private final StoredSecrets secrets;
    private final ModelLister lister;
    private final DiscoveredModels discovered;
    private final ChangeLog changes;
    private final OutboxRelay relay;
    private final Vertx vertx;
    private final ScheduledRounds rounds;
    private final Duration roundGap;

    ModelDiscovery(ProviderRepository providers, DiscoveryRepository states, ProviderMapper mapper,
            StoredSecrets secrets, ModelLister lister, DiscoveredModels discovered, ChangeLog changes,
            OutboxRelay relay, Vertx vertx, ScheduledRounds rounds, RegistryConfig config) {
        this.providers = providers;
        this.states = states;
        this.mapper = mapper;
        this.secrets = secrets;
        this.lister = lister;
        this.discovered = discovered;
        this.changes = changes;
        this.relay = relay;
        this.vertx = vertx;
        this.rounds = rounds;
        this.roundGap = roundGap(config.discovery().interval());
    }

    /** Discovers soon, without waiting, when this saved config discovers its models: called after each save. */
    public void trigger(ProviderConfig saved) {
        if (!ModelDiscoveryRules.discovers(saved)) {
            return;
        }
        Executor onContext = newContext();
        Uni.createFrom().voidItem().emitOn(onContext).chain(() -> discover(saved.name(), onContext))
                .subscribe().with(ignored -> {
                }, failure -> LOG.warnf("model discovery of provider %s failed: %s", saved.name(),
                        failure.getMessage()));
    }

    /**
     * Lists the provider's endpoints now and stores what they list.
     *
     * @throws ApiException 404 when there is no such provider; 409 when its models are configured (or its type
     *         lists none)
     */
    public Uni<DiscoveryEntity> refresh(String name) {
        Executor onContext = currentContext();
        return Panache.withSession(() -> providers.findById(name)).map(entity -> {
            if (entity == null) {
                throw ApiException.notFound("provider_not_found", "no provider named '" + name + "'");
            }
            ProviderConfig config = mapper.toConfig(entity);
            if (!ModelDiscoveryRules.discovers(config)) {
                throw ApiException.conflict("models_configured", "models", ModelDiscoveryRules.listable(config.type())
                        ? "provider '" + name + "' has models of its own; only a provider saved without models "
                                + "discovers them"
                        : "type " + config.type() + " has no model listing to discover models from");
            }
            return entity;
        }).chain(() -> discover(name, onContext)).map(state -> {
            if (state == null) {
                throw ApiException.conflict("models_configured", "models", "provider '" + name
                        + "' changed meanwhile and no longer discovers its models");
            }
            return state;
        });
    }

    /**
     * Every interval, on one instance: each instance's scheduler fires, the one that claims the round
     * ({@link ScheduledRounds}, at least 0.8 of the interval after the last one began) lists every provider.
     */
    @Scheduled(every = "${registry.discovery.interval}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshAll() {
        return rounds.claim(ROUND, roundGap).chain(mine -> mine ? listAll() : Uni.createFrom().voidItem());
    }

    /** The shortest time between two rounds on any instances: 0.8 of the interval (the schedulers' jitter). */
    static Duration roundGap(String interval) {
        String value = interval.trim();
        if (value.equalsIgnoreCase("off")) {
            return Duration.ZERO;
        }
        try {
            Duration every = value.matches("\\d+[dD]")
                    ? Duration.ofDays(Long.parseLong(value.substring(0, value.length() - 1)))
                    : Duration.parse(value.startsWith("P") || value.startsWith("p") ? value : "PT" + value);
            return every.multipliedBy(4).dividedBy(5);
        } catch (RuntimeException e) {
            // a form the scheduler takes and this does not: every instance runs its rounds (they are idempotent)
            return Duration.ZERO;
        }
    }

    private Uni<Void> listAll() {
        Executor onContext = currentContext();
        return Panache.withSession(() -> providers.listByName())
                .map(rows -> rows.stream().map(mapper::toConfig).filter(ModelDiscoveryRules::discovers)
                        .map(ProviderConfig::name).toList())
                .onItem().transformToMulti(names -> Multi.createFrom().iterable(names))
                .onItem().transformToUniAndConcatenate(name -> discover(name, onContext)
                        .onFailure().invoke(failure -> LOG.warnf("model discovery of provider %s failed: %s", name,
                                failure.getMessage()))
                        .onFailure().recoverWithNull())
                .collect().last().replaceWithVoid();
    }

    /** Lists and stores; null when the provider is gone or no longer discovers its models. */
    private Uni<DiscoveryEntity> discover(String name, Executor onContext) {
        return Panache.withSession(() -> providers.findById(name))
                .chain(entity -> {
                    if (entity == null || !ModelDiscoveryRules.discovers(mapper.toConfig(entity))) {
                        return Uni.createFrom().nullItem();
                    }
                    return lister.list(secrets.open(mapper.toConfig(entity))).emitOn(onContext)
                            .chain(listings -> store(name, listings));
                });
    }

    private Uni<DiscoveryEntity> store(String name, List<ModelLister.Listing> listings) {
        Instant now = Instant.now();
        return Panache.withTransaction(() -> changes.begin()
                .chain(revision -> providers.findById(name).chain(entity -> {
                    if (entity == null || !ModelDiscoveryRules.discovers(mapper.toConfig(entity))) {
                        return Uni.createFrom().<DiscoveryEntity> nullItem();
                    }
                    return states.findById(name).chain(state -> merge(entity, state, listings, revision, now));
                })))
                .invoke(relay::trigger);
    }

    private Uni<DiscoveryEntity> merge(ProviderEntity entity, DiscoveryEntity state, List<ModelLister.Listing> listings,
            long revision, Instant now) {
        ProviderConfig config = mapper.toConfig(entity);
        boolean fresh = state == null;
        DiscoveryEntity row = fresh ? new DiscoveryEntity() : state;
        if (fresh) {
            row.provider = entity.name;
        }
        List<String> before = discovered.ids(config, fresh ? null : state);
        Map<String, EndpointListing> old = fresh ? Map.of()
                : discovered.listings(state).stream().collect(Collectors.toMap(EndpointListing::id,
                        Function.identity(), (a, b) -> b));
        Map<String, ModelLister.Listing> fetched = listings.stream().collect(Collectors.toMap(
                ModelLister.Listing::endpointId, Function.identity(), (a, b) -> b));
        List<EndpointListing> merged = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int answered = 0;
        for (EndpointConfig endpoint : config.endpoints()) {
            ModelLister.Listing listing = fetched.get(endpoint.id());
            boolean current = listing != null && endpoint.baseUrl().equals(listing.baseUrl());
            if (current && listing.ok()) {
                answered++;
                merged.add(new EndpointListing(endpoint.id(), endpoint.baseUrl(), listing.models(), now));
                continue;
            }
            problems.add("endpoint " + endpoint.id() + ": " + (current ? listing.failure() : "not listed yet"));
            EndpointListing kept = old.get(endpoint.id());
            if (kept != null && endpoint.baseUrl().equals(kept.baseUrl())) {
                merged.add(kept);
            }
        }
        row.endpoints = discovered.write(merged);
        row.status = answered == config.endpoints().size() ? OK : answered == 0 ? FAILED : PARTIAL;
        String error = problems.isEmpty() ? null : String.join("; ", problems);
        row.error = error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR - 1) + "…";
        row.attemptedAt = now;
        if (answered > 0) {
            row.discoveredAt = now;
        }
        List<String> after = discovered.ids(config, row);
        Uni<Void> saved = fresh ? states.persist(row).replaceWithVoid() : Uni.createFrom().voidItem();
        if (after.equals(before)) {
            return saved.replaceWith(row);
        }
        entity.revision = revision;
        LOG.infof("provider %s: %d discovered models (was %d)", entity.name, after.size(), before.size());
        return saved.chain(() -> changes.record(entity.name, ChangeLog.MODELS_DISCOVERED, revision)).replaceWith(row);
    }

    private Executor currentContext() {
        Context context = Vertx.currentContext();
        if (context == null) {
            return newContext();
        }
        return command -> context.runOnContext(ignored -> command.run());
    }

    private Executor newContext() {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        return command -> context.runOnContext(ignored -> command.run());
    }
}
