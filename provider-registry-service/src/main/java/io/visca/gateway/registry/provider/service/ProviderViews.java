package io.visca.gateway.registry.provider.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.auth.UpstreamAuthException;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.registry.discovery.mapping.DiscoveryViews;
import io.visca.gateway.registry.provider.mapping.ProviderView;
import io.visca.gateway.registry.provider.mapping.SecretReferences;
import io.visca.gateway.registry.provider.mapping.SecretValues;
import io.visca.gateway.registry.provider.repository.ManagedSeedRepository;

/**
 * Adds to each provider whether its credentials resolve here and whether it is managed. The check asks this
 * registry's own {@link SecretResolver} (secret files and environment, under the secret rules; in memory, never
 * blocking): a provider whose {@code ${NAME}} does not resolve is listed as {@code missing} with the names, never
 * refused. The router and the health monitor resolve in their own environments, which a deployment should keep alike.
 */
@ApplicationScoped
public class ProviderViews {

    private final SecretResolver resolver;
    private final ManagedSeedRepository seeds;
    private final DiscoveryViews discovery;

    ProviderViews(SecretResolver resolver, ManagedSeedRepository seeds, DiscoveryViews discovery) {
        this.resolver = resolver;
        this.seeds = seeds;
        this.discovery = discovery;
    }

    /**
     * The provider as the admin API answers it: its redacted document with the models' source
     * ({@link DiscoveryViews}), then {@code credentials}, {@code missing_secrets} and {@code managed}.
     */
    public Uni<ObjectNode> json(ProviderConfig redacted) {
        return discovery.of(redacted).chain(tree -> of(redacted).map(view -> withStatus(tree, view)));
    }

    /** {@link #json(ProviderConfig)} of each, in order. */
    public Uni<List<ObjectNode>> json(List<ProviderConfig> redacted) {
        return discovery.of(redacted).chain(trees -> of(redacted).map(views -> {
            List<ObjectNode> answers = new ArrayList<>(trees.size());
            for (int i = 0; i < trees.size(); i++) {
                answers.add(withStatus(trees.get(i), views.get(i)));
            }
            return answers;
        }));
    }

    private static ObjectNode withStatus(ObjectNode tree, ProviderView view) {
        tree.put("credentials", view.credentials());
        view.missingSecrets().forEach(tree.putArray("missing_secrets")::add);
        tree.put("managed", view.managed());
        return tree;
    }

    public Uni<List<ProviderView>> of(List<ProviderConfig> configs) {
        return managedNames()
                .map(names -> configs.stream().map(config -> view(config, names)).toList());
    }

    public Uni<ProviderView> of(ProviderConfig config) {
        return managedNames().map(names -> view(config, names));
    }

    private ProviderView view(ProviderConfig config, Set<String> managedNames) {
        var fields = SecretReferences.resolvedFields(config);
        if (fields.isEmpty()) {
            return new ProviderView(config, ProviderView.NONE, List.of(), managedNames.contains(config.name()));
        }
        List<String> missing = new ArrayList<>();
        fields.forEach((field, value) -> {
            String name = SecretValues.referenceName(value);
            if (name == null || missing.contains(name)) {
                return;
            }
            try {
                resolver.resolve(field, value);
            } catch (UpstreamAuthException e) {
                missing.add(name);
            }
        });
        return new ProviderView(config, missing.isEmpty() ? ProviderView.OK : ProviderView.MISSING,
                List.copyOf(missing), managedNames.contains(config.name()));
    }

    /** The names of the providers that are managed now (seeded from a catalogue, not re-created by hand). */
    private Uni<Set<String>> managedNames() {
        return Panache.withSession(seeds::managedNames);
    }
}
