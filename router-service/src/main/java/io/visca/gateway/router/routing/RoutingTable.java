package io.visca.gateway.router.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.buffer.Buffer;
import io.visca.gateway.contracts.provider.GatewayKey;
import io.visca.gateway.contracts.provider.GatewayTeam;
import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.contracts.provider.RegistrySnapshot;
import io.visca.gateway.contracts.routing.RoutingPolicies;
import io.visca.gateway.router.adapter.Adapters;
import io.visca.gateway.router.adapter.Json;
import io.visca.gateway.router.adapter.ProviderAdapter;

/**
 * What one registry snapshot means for serving, built once per snapshot and then only read: the routes of each model
 * id (enabled providers only), client keys by hash (and by their previous secret's during a rotation's grace), teams,
 * and the {@code /v1/models} bodies.
 */
public final class RoutingTable {

    private static final Logger LOG = Logger.getLogger(RoutingTable.class);

    /** What the router serves from before its first snapshot. */
    public static final RoutingTable EMPTY = new RoutingTable(-1, Map.of(), new Keys(Map.of(), Map.of(), Map.of()),
            Map.of(), List.of(), Map.of(), RoutingPolicies.NONE, List.of());

    /**
     * The snapshot's client keys and teams.
     *
     * @param byHash every key by the hash of its current secret
     * @param byPreviousHash keys rotated with a grace, by the hash of the secret they replaced
     */
    private record Keys(Map<String, GatewayKey> byHash, Map<String, GatewayKey> byPreviousHash,
            Map<String, GatewayTeam> teams) {

        static Keys of(RegistrySnapshot snapshot) {
            Map<String, GatewayKey> current = new HashMap<>();
            Map<String, GatewayKey> previous = new HashMap<>();
            snapshot.apiKeys().forEach(key -> {
                current.put(key.keyHash(), key);
                if (key.previousKeyHash() != null && key.previousValidUntil() != null) {
                    previous.put(key.previousKeyHash(), key);
                }
            });
            Map<String, GatewayTeam> teams = new HashMap<>();
            snapshot.teams().forEach(team -> teams.put(team.name(), team));
            return new Keys(Map.copyOf(current), Map.copyOf(previous), Map.copyOf(teams));
        }
    }

    private final long revision;
    private final Map<String, List<ModelRoute>> routes;
    /** Every route of every model, in snapshot order: the candidates of {@code auto}. */
    private final List<ModelRoute> allRoutes;
    /** Every provider in the snapshot by name, served or not (disabled, no adapter, broken config). */
    private final Map<String, ProviderConfig> providers;
    private final RoutingPolicies policies;
    private final Keys keys;
    /** Keys already checked against this table, by the bearer value: saves a SHA-256 per request. */
    private final Map<String, GatewayKey> verified = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Buffer> modelBodies;
    private final Buffer modelList;

    private RoutingTable(long revision, Map<String, List<ModelRoute>> routes, Keys keys,
            Map<String, Buffer> modelBodies, List<ObjectNode> models, Map<String, ProviderConfig> providers,
            RoutingPolicies policies, List<ModelRoute> allRoutes) {
        this.revision = revision;
        this.routes = routes;
        this.providers = providers;
        this.policies = policies;
        this.allRoutes = allRoutes;
        this.keys = keys;
        this.modelBodies = modelBodies;
        ObjectNode list = Json.object().put("object", "list");
        ArrayNode data = list.putArray("data");
        models.forEach(data::add);
        this.modelList = Json.write(list);
    }

    public static RoutingTable from(RegistrySnapshot snapshot, Adapters adapters, LiveState live) {
        return from(snapshot, Map.of(), adapters, live);
    }

    /**
     * @param secretsProblems by provider name: why its secrets could not be opened; such a provider is routed to as
     *        usual, and its calls fail with that problem
     */
    public static RoutingTable from(RegistrySnapshot snapshot, Map<String, String> secretsProblems, Adapters adapters,
            LiveState live) {
        Map<String, List<ModelRoute>> routes = new HashMap<>();
        List<ModelRoute> all = new ArrayList<>();
        Map<String, ProviderConfig> providers = new HashMap<>();
        Map<String, ObjectNode> models = new LinkedHashMap<>();
        long created = snapshot.generatedAt() == null ? 0 : snapshot.generatedAt().getEpochSecond();
        for (ProviderConfig provider : snapshot.providers()) {
            providers.put(provider.name(), provider);
            ProviderRuntime runtime = runtime(provider, adapters, live, secretsProblems.get(provider.name()));
            if (runtime == null) {
                continue;
            }
            for (ModelConfig model : provider.models()) {
                ModelRoute route = new ModelRoute(runtime, model);
                routes.computeIfAbsent(model.id(), id -> new ArrayList<>()).add(route);
                all.add(route);
                ObjectNode entry = models.computeIfAbsent(model.id(), id -> Json.object().put("id", id)
                        .put("object", "model").put("created", created).put("owned_by", provider.name()));
                entry.withArray("/providers").add(provider.name());
                if (model.name() != null && !entry.has("name")) {
                    entry.put("name", model.name());
                }
                if (model.mode() != null && !entry.has("mode")) {
                    entry.put("mode", model.mode());
                }
                if (model.contextWindow() != null
                        && entry.path("context_window").asInt(0) < model.contextWindow()) {
                    entry.put("context_window", model.contextWindow());
                }
            }
        }
        Map<String, Buffer> bodies = new HashMap<>();
        models.forEach((id, node) -> bodies.put(id, Json.write(node)));
        routes.replaceAll((id, list) -> List.copyOf(list));
        return new RoutingTable(snapshot.revision(), Map.copyOf(routes), Keys.of(snapshot), Map.copyOf(bodies),
                List.copyOf(models.values()), Map.copyOf(providers), snapshot.routing(), List.copyOf(all));
    }

    private static ProviderRuntime runtime(ProviderConfig provider, Adapters adapters, LiveState live,
            String secretsProblem) {
        if (!provider.enabled() || provider.endpoints().isEmpty()) {
            return null;
        }
        ProviderAdapter adapter = adapters.forType(provider.type());
        if (adapter == null) {
            LOG.warnf("provider '%s' has type '%s', which this router has no adapter for: not served",
                    provider.name(), provider.type());
            return null;
        }
        try {
            return new ProviderRuntime(provider, adapter, adapter.prepare(provider), live, secretsProblem);
        } catch (IllegalArgumentException e) {
            LOG.warnf("provider '%s' cannot be served: %s", provider.name(), e.getMessage());
            return null;
        }
    }

    /** False for {@link #EMPTY}, the table before the first registry snapshot: no key can be checked against it. */
    public boolean loaded() {
        return this != EMPTY;
    }

    public long revision() {
        return revision;
    }

    /** The routes of a model id, in snapshot order; empty when no enabled provider serves it. */
    public List<ModelRoute> routes(String model) {
        List<ModelRoute> found = routes.get(model);
        return found == null ? List.of() : found;
    }

    /** Every route of every served model, in snapshot order (the candidates of {@code "model": "auto"}). */
    public List<ModelRoute> allRoutes() {
        return allRoutes;
    }

    /** A provider of the snapshot by name, whether it is served or not; null when the registry has none. */
    public ProviderConfig provider(String name) {
        return providers.get(name);
    }

    /** The providers of the snapshot (served or not) that list {@code model}. */
    public List<ProviderConfig> providersServing(String model) {
        List<ProviderConfig> found = new ArrayList<>();
        providers.values().forEach(p -> p.models().stream().filter(m -> m.id().equals(model)).findFirst()
                .ifPresent(m -> found.add(p)));
        return found;
    }

    /** The registry's default routing policies. */
    public RoutingPolicies policies() {
        return policies;
    }

    /** @return the client key with this SHA-256 hex hash, or null */
    public GatewayKey key(String sha256Hex) {
        return keys.byHash().get(sha256Hex);
    }

    /**
     * @return the key whose previous secret (before a rotation with a grace) has this hash, or null; whether the
     *         grace has ended is for the caller to check ({@link GatewayKey#previousValidUntil()})
     */
    public GatewayKey keyByPreviousSecret(String sha256Hex) {
        return keys.byPreviousHash().get(sha256Hex);
    }

    /** @return the team of that name, or null when the snapshot has none (a team without limits) */
    public GatewayTeam team(String name) {
        return name == null ? null : keys.teams().get(name);
    }

    /** A key this table already matched, by its bearer value (the table dies with the snapshot, and so do these). */
    public GatewayKey verifiedKey(String bearer) {
        return verified.get(bearer);
    }

    public void rememberVerified(String bearer, GatewayKey key) {
        if (verified.size() < 10_000) {
            verified.put(bearer, key);
        }
    }

    /** The {@code GET /v1/models} body. */
    public Buffer modelList() {
        return modelList;
    }

    /** The {@code GET /v1/models} body for a key that may use only {@code allowed} (built per call: such keys are few). */
    public Buffer modelList(List<String> allowed) {
        ObjectNode list = Json.object().put("object", "list");
        ArrayNode data = list.putArray("data");
        for (String id : allowed) {
            Buffer body = modelBodies.get(id);
            if (body != null) {
                try {
                    data.add(Json.readWhole(body));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("the table's own model JSON", e);
                }
            }
        }
        return Json.write(list);
    }

    /** The {@code GET /v1/models/{id}} body, or null for an unknown id. */
    public Buffer model(String id) {
        return modelBodies.get(id);
    }

    public int modelCount() {
        return modelBodies.size();
    }
}
