package io.visca.gateway.registry.dashboard.rest;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.visca.gateway.registry.dashboard.session.Dashboard;
import io.visca.gateway.registry.dashboard.session.DashboardPages;
import io.visca.gateway.registry.discovery.mapping.DiscoveryViews;
import io.visca.gateway.registry.discovery.service.ModelDiscovery;
import io.visca.gateway.registry.provider.service.ProviderService;

/**
 * "Refresh models" on the edit page of a provider that discovers its models: lists its endpoints now (the same
 * {@link ModelDiscovery#refresh} as {@code POST /api/providers/{name}/models/refresh}) and answers the discovered
 * models fragment.
 */
@Path("/providers/{name}/models/refresh")
@Dashboard
@Produces(MediaType.TEXT_HTML)
public class DiscoveredModelsPage {

    private final ModelDiscovery discovery;
    private final ProviderService providers;
    private final DiscoveryViews views;
    private final DashboardPages pages;
    private final Template fragment;

    DiscoveredModelsPage(ModelDiscovery discovery, ProviderService providers, DiscoveryViews views,
            DashboardPages pages, @Location("dashboard/discovered-models.html") Template fragment) {
        this.discovery = discovery;
        this.providers = providers;
        this.views = views;
        this.pages = pages;
        this.fragment = fragment;
    }

    @POST
    public Uni<String> refresh(@RestPath String name, @RestForm String csrf, HttpServerRequest request) {
        pages.requireCsrf(request, csrf);
        return discovery.refresh(name).chain(() -> providers.get(name)).chain(views::status)
                .map(status -> fragment.data("discovery", status).render());
    }
}
