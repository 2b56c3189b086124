package io.visca.gateway.registry.discovery.mapping;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.registry.discovery.repository.DiscoveryEntity;
import io.visca.gateway.registry.discovery.repository.DiscoveryRepository;
import io.visca.gateway.registry.provider.mapping.ModelDiscoveryRules;

/**
 * A provider as the admin API shows it: its (redacted) document plus where its models come from. A provider saved
 * without {@code models} shows its discovered models in {@code models}, each {@code "discovered": true},
 * {@code models_source: "discovered"}, {@code discovered_at} and {@code discovery: {status, error, at}}; every other
 * one {@code models_source: "configured"}. These read-only fields and entries are ignored when sent back in a PUT.
 */
@ApplicationScoped
public class DiscoveryViews {

    /** Status of a provider whose endpoints have not been listed yet. */
    public static final String PENDING = "pending";

    private final ObjectMapper json;
    private final DiscoveredModels discovered;
    private final DiscoveryRepository states;

    DiscoveryViews(ObjectMapper json, DiscoveredModels discovered, DiscoveryRepository states) {
        // prices stay exactly as written (0.10, not 0.1): a tree must not strip a BigDecimal's trailing zeros
        this.json = json.copy().configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
                .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
        this.discovered = discovered;
        this.states = states;
    }

    public Uni<ObjectNode> of(ProviderConfig redacted) {
        if (!ModelDiscoveryRules.discovers(redacted)) {
            return Uni.createFrom().item(view(redacted, null));
        }
        return Panache.withSession(() -> states.findById(redacted.name())).map(state -> view(redacted, state));
    }

    public Uni<List<ObjectNode>> of(List<ProviderConfig> redacted) {
        if (redacted.stream().noneMatch(ModelDiscoveryRules::discovers)) {
            return Uni.createFrom().item(redacted.stream().map(c -> view(c, null)).toList());
        }
        return Panache.withSession(states::byProvider).map(all -> views(redacted, all));
    }

    /** What the dashboard shows of each provider's discovery (read in its own session). */
    public Uni<DiscoveryStatus.ByProvider> statuses(List<ProviderConfig> configs) {
        return Panache.withSession(states::byProvider).map(all -> new DiscoveryStatus.ByProvider(configs.stream()
                .filter(ModelDiscoveryRules::discovers)
                .collect(java.util.stream.Collectors.toMap(ProviderConfig::name, c -> status(c, all.get(c.name()))))));
    }

    /** What the dashboard shows of one provider's discovery (read in its own session). */
    public Uni<DiscoveryStatus> status(ProviderConfig config) {
        if (!ModelDiscoveryRules.discovers(config)) {
            return Uni.createFrom().item(DiscoveryStatus.NONE);
        }
        return Panache.withSession(() -> states.findById(config.name())).map(state -> status(config, state));
    }

    private DiscoveryStatus status(ProviderConfig config, DiscoveryEntity state) {
        return state == null ? new DiscoveryStatus(true, List.of(), PENDING, "not listed yet", null, null)
                : new DiscoveryStatus(true, discovered.ids(config, state), state.status, state.error,
                        state.attemptedAt, state.discoveredAt);
    }

    private List<ObjectNode> views(List<ProviderConfig> redacted, Map<String, DiscoveryEntity> all) {
        return redacted.stream().map(c -> view(c, all.get(c.name()))).toList();
    }

    public ObjectNode view(ProviderConfig redacted, DiscoveryEntity state) {
        ObjectNode tree = json.valueToTree(redacted);
        if (!ModelDiscoveryRules.discovers(redacted)) {
            tree.put("models_source", "configured");
            return tree;
        }
        ArrayNode models = tree.putArray("models");
        for (String id : discovered.ids(redacted, state)) {
            ObjectNode model = json.valueToTree(ModelDiscoveryRules.model(id));
            models.add(model.put("discovered", true));
        }
        tree.put("models_source", "discovered");
        tree.set("discovered_at", json.valueToTree(state == null ? null : state.discoveredAt));
        ObjectNode discovery = tree.putObject("discovery");
        discovery.put("status", state == null ? PENDING : state.status);
        discovery.put("error", state == null ? "not listed yet" : state.error);
        discovery.set("at", json.valueToTree(state == null ? null : state.attemptedAt));
        return tree;
    }
}
