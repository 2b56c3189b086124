package io.visca.gateway.registry.provider.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.kit.admin.error.Violation;
import io.visca.gateway.outbound.OutboundGuard;
import io.visca.gateway.outbound.OutboundRefusedException;
import io.visca.gateway.registry.json.Violations;
import io.visca.gateway.registry.provider.client.UpstreamWebClient;
import io.visca.gateway.registry.provider.mapping.ProviderDocument;

/**
 * The save-time half of the outbound URL policy: every URL a provider config sends requests to (each endpoint's
 * {@code base_url}, {@code auth.token_url}) must not point at an address the policy refuses. An IP literal is judged
 * as written; a host name is looked up (on a worker thread) and refused when any of its addresses is refused; a name
 * that does not resolve is accepted, because the services check every call again at connect time, after their own
 * lookup. The connect-time half is {@link UpstreamWebClient#request} here and the same rule in the router and the
 * health monitor.
 */
@ApplicationScoped
public class OutboundUrlCheck {

    private final OutboundGuard outbound;

    OutboundUrlCheck(UpstreamWebClient http) {
        this.outbound = http.outbound();
    }

    /** @return fails with a 400 {@link ApiException} naming each refused URL's field and the rule that refused it */
    public Uni<Void> check(ProviderDocument document) {
        ProviderConfig config = document.config();
        List<String> fields = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < config.endpoints().size(); i++) {
            fields.add(document.baseUrlField(i));
            urls.add(config.endpoints().get(i).baseUrl());
        }
        AuthConfig auth = config.auth();
        if (auth != null && auth.tokenUrl() != null) {
            fields.add("auth.token_url");
            urls.add(auth.tokenUrl());
        }
        List<Uni<Violation>> checks = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            checks.add(check(fields.get(i), urls.get(i)));
        }
        if (checks.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(checks).andFailFast().map(found -> {
            List<Violation> violations = found.stream().filter(Objects::nonNull).toList();
            if (!violations.isEmpty()) {
                throw Violations.invalid(violations);
            }
            return null;
        });
    }

    /** The violation for one URL, or null when the policy allows it. */
    private Uni<Violation> check(String field, String url) {
        String host = java.net.URI.create(url).getHost();
        return Uni.createFrom().completionStage(() -> outbound.check(host).toCompletionStage())
                .map(ok -> (Violation) null)
                .onFailure(OutboundRefusedException.class).recoverWithItem(refused -> new Violation(field,
                        refused.getMessage() + "; the gateway sends no request there"));
    }
}
