package io.visca.gateway.registry.routing.service;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.visca.gateway.contracts.event.ProviderChanged;
import io.visca.gateway.contracts.routing.RoutingPolicies;
import io.visca.gateway.contracts.routing.RoutingPolicy;
import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.registry.outbox.ChangeLog;
import io.visca.gateway.registry.outbox.OutboxRelay;
import io.visca.gateway.registry.provider.repository.ProviderRepository;
import io.visca.gateway.registry.routing.mapping.RoutingMapper;
import io.visca.gateway.registry.routing.mapping.RoutingPolicyParser;
import io.visca.gateway.registry.routing.repository.RoutingPolicyEntity;
import io.visca.gateway.registry.routing.repository.RoutingPolicyRepository;

/**
 * The default routing policies. Each change runs in one transaction that locks the registry revision first (so the
 * providers a policy names cannot be deleted before it commits), validates the body against the providers in the
 * registry, writes the changed rows and one {@code provider-changed} outbox row keyed
 * {@link ProviderChanged#ROUTING_KEY}; the relay is triggered once it committed. A change that changes nothing
 * records nothing.
 */
@ApplicationScoped
public class RoutingService {

    private final RoutingPolicyRepository routing;
    private final ProviderRepository providers;
    private final RoutingMapper mapper;
    private final ChangeLog changes;
    private final OutboxRelay relay;

    RoutingService(RoutingPolicyRepository routing, ProviderRepository providers, RoutingMapper mapper,
            ChangeLog changes, OutboxRelay relay) {
        this.routing = routing;
        this.providers = providers;
        this.mapper = mapper;
        this.changes = changes;
        this.relay = relay;
    }

    public Uni<RoutingPolicies> get() {
        return Panache.withSession(() -> routing.listByKey()).map(mapper::toPolicies);
    }

    /** Replaces the whole document: policies it leaves out are deleted. */
    public Uni<RoutingPolicies> replace(JsonNode body) {
        return change(state -> {
            RoutingPolicies incoming = state.parser().document(body);
            Map<String, RoutingPolicy> target = new HashMap<>();
            state.rows().keySet().forEach(key -> target.put(key, null));
            target.putAll(RoutingMapper.toKeys(incoming));
            return new Change<>(target, incoming);
        });
    }

    /**
     * Sets the policy of one key.
     *
     * @param key a model id (checked by the caller), or {@link RoutingMapper#AUTO_KEY}
     */
    public Uni<RoutingPolicy> put(String key, JsonNode body) {
        return change(state -> {
            RoutingPolicy policy = state.parser().policy(body, key);
            Map<String, RoutingPolicy> target = new HashMap<>();
            target.put(key, policy);
            return new Change<>(target, policy);
        });
    }

    /** @throws ApiException 404 when {@code key} has no policy */
    public Uni<Void> delete(String key) {
        return change(state -> {
            if (!state.rows().containsKey(key)) {
                throw ApiException.notFound("routing_policy_not_found", RoutingMapper.AUTO_KEY.equals(key)
                        ? "no routing policy is set for auto"
                        : "no routing policy is set for model '" + key + "'");
            }
            Map<String, RoutingPolicy> target = new HashMap<>();
            target.put(key, null);
            return new Change<Void>(target, null);
        });
    }

    /**
     * Runs one change: locks the revision, reads the providers and the stored policies, lets {@code decide} say
     * what each key becomes (null: deleted), writes what differs and records the change if anything did.
     */
    private <T> Uni<T> change(Function<State, Change<T>> decide) {
        return Panache.withTransaction(() -> changes.begin()
                .chain(revision -> providers.names()
                        .chain(names -> routing.listByKey().map(rows -> state(names, rows)))
                        .chain(state -> {
                            Change<T> change = decide.apply(state);
                            return write(state.rows(), change.target(), revision).replaceWith(change.result());
                        })))
                .invoke(relay::trigger);
    }

    private Uni<Void> write(Map<String, RoutingPolicyEntity> rows, Map<String, RoutingPolicy> target,
            long revision) {
        Instant now = Instant.now();
        Uni<Void> writes = Uni.createFrom().voidItem();
        boolean changed = false;
        for (Map.Entry<String, RoutingPolicy> entry : target.entrySet()) {
            RoutingPolicyEntity row = rows.get(entry.getKey());
            RoutingPolicy policy = entry.getValue();
            if (policy == null && row != null) {
                writes = writes.chain(() -> routing.delete(row));
            } else if (policy != null && row == null) {
                RoutingPolicyEntity created = mapper.toEntity(entry.getKey(), policy, revision, now);
                writes = writes.chain(() -> routing.persist(created).replaceWithVoid());
            } else if (policy != null && !mapper.toPolicy(row).equals(policy)) {
                mapper.update(row, policy, revision, now);
            } else {
                continue;
            }
            changed = true;
        }
        // one session: the writes run one after the other, then the event of the whole change
        return changed ? writes.chain(() -> changes.record(ProviderChanged.ROUTING_KEY, ChangeLog.ROUTING_CHANGED,
                revision)) : writes;
    }

    private State state(Set<String> names, List<RoutingPolicyEntity> rows) {
        Map<String, RoutingPolicyEntity> byKey = new HashMap<>();
        rows.forEach(row -> byKey.put(row.policyKey, row));
        return new State(new RoutingPolicyParser(names, mapper.toKeyed(rows)), byKey);
    }

    /** What a change starts from: a parser that knows the providers and stored policies, and the stored rows. */
    private record State(RoutingPolicyParser parser, Map<String, RoutingPolicyEntity> rows) {
    }

    /** What each key becomes (null: deleted), and what the API answers. */
    private record Change<T>(Map<String, RoutingPolicy> target, T result) {
    }
}
