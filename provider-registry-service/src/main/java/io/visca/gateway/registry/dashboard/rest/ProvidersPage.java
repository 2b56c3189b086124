package io.visca.gateway.registry.dashboard.rest;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.kit.admin.error.Violation;
import io.visca.gateway.registry.dashboard.client.DashboardBackends;
import io.visca.gateway.registry.dashboard.form.FormSubmission;
import io.visca.gateway.registry.dashboard.form.PresetForm;
import io.visca.gateway.registry.dashboard.form.ProviderForm;
import io.visca.gateway.registry.dashboard.form.ProviderFormView;
import io.visca.gateway.registry.dashboard.session.Dashboard;
import io.visca.gateway.registry.dashboard.session.DashboardPages;
import io.visca.gateway.registry.discovery.mapping.DiscoveryStatus;
import io.visca.gateway.registry.discovery.mapping.DiscoveryViews;
import io.visca.gateway.registry.json.JsonBodies;
import io.visca.gateway.registry.provider.advice.FieldWarning;
import io.visca.gateway.registry.provider.advice.PlainHttpAdvice;
import io.visca.gateway.registry.provider.client.ConnectionTester;
import io.visca.gateway.registry.provider.mapping.ProviderDocument;
import io.visca.gateway.registry.provider.mapping.ProviderDocumentParser;
import io.visca.gateway.registry.provider.mapping.ProviderView;
import io.visca.gateway.registry.provider.preset.ProviderPreset;
import io.visca.gateway.registry.provider.preset.ProviderPresets;
import io.visca.gateway.registry.provider.service.ProviderService;
import io.visca.gateway.registry.provider.service.ProviderViews;

/**
 * Custom Providers: the list with health and the last 24 hours of traffic, the add/edit form and its JSON mode,
 * enable/disable, delete and Test Connection. Every change goes through {@link ProviderService} and the API's
 * parser, so the dashboard stores exactly what the API would, and reports the API's violations.
 */
@Path("/providers")
@Dashboard
@Produces(MediaType.TEXT_HTML)
public class ProvidersPage {

    private final ProviderService providers;
    private final ProviderViews views;
    private final ConnectionTester tester;
    private final DashboardBackends backends;
    private final DashboardPages pages;
    private final ObjectMapper json;
    private final ProviderPresets presets;
    private final ProviderDocumentParser parser = new ProviderDocumentParser();
    private final Template list;
    private final Template form;
    private final Template testResults;
    private final DiscoveryViews discoveryViews;

    ProvidersPage(ProviderService providers, ProviderViews views, ConnectionTester tester, DashboardBackends backends,
            DashboardPages pages,
            ObjectMapper json, @Location("dashboard/providers.html") Template list,
            @Location("dashboard/provider-form.html") Template form,
            @Location("dashboard/test-results.html") Template testResults, ProviderPresets presets,
            DiscoveryViews discoveryViews) {
        this.discoveryViews = discoveryViews;
        this.providers = providers;
        this.views = views;
        this.presets = presets;
        this.tester = tester;
        this.backends = backends;
        this.pages = pages;
        this.json = json;
        this.list = list;
        this.form = form;
        this.testResults = testResults;
    }

    @GET
    public Uni<String> list(HttpServerRequest request) {
        return Uni.combine().all().unis(providers.list(), backends.health(), backends.usageLast24h()).asTuple()
                // one after the other: both read the database, and a reactive session takes one query at a time
                .chain(t -> views.of(t.getItem1()).chain(status -> discoveryViews.statuses(t.getItem1())
                        .map(discovery -> pages.page(list.data("providers", t.getItem1())
                                .data("health", t.getItem2()).data("usage", t.getItem3()).data("status",
                                        new ProviderView.ByName(status.stream().collect(
                                                java.util.stream.Collectors.toMap(v -> v.config().name(), v -> v))))
                                .data("discovery", discovery), "providers", request).render())));
    }

    @GET
    @Path("/new")
    public String newProvider(@RestQuery String mode, @RestQuery String preset, HttpServerRequest request) {
        ProviderPreset chosen = presets.find(preset).orElse(null);
        ProviderFormView view;
        if ("json".equals(mode)) {
            view = ProviderForm.json(null, chosen == null ? "" : PresetForm.json(chosen, json), List.of());
        } else {
            view = chosen == null ? ProviderForm.blank() : PresetForm.view(chosen);
        }
        return render(view, false, request, chosen, List.of(), DiscoveryStatus.NONE);
    }

    @GET
    @Path("/{name}/edit")
    public Uni<String> edit(@RestPath String name, @RestQuery String mode, @RestQuery String saved,
            HttpServerRequest request) {
        return providers.get(name).chain(config -> discoveryViews.status(config).map(discovery -> {
            ObjectNode tree = ProviderForm.withoutNulls(json.valueToTree(config));
            ProviderFormView view = "json".equals(mode) ? ProviderForm.json(name, ProviderForm.pretty(json, tree),
                    List.of()) : ProviderForm.fromDocument(name, tree, json);
            return render(view, "1".equals(saved), request, null, PlainHttpAdvice.of(config), discovery);
        }));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> create(MultivaluedMap<String, String> body, HttpServerRequest request) {
        pages.requireCsrf(request, body.getFirst("csrf"));
        if (body.containsKey("json")) {
            String document = body.getFirst("json");
            return saveJson(null, document, () -> parser.parse(document), providers::create, request);
        }
        FormSubmission.Submission submission = FormSubmission.fromForm(body, null, null, json);
        return saveForm(submission, providers::create, request);
    }

    @POST
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> update(@RestPath String name, MultivaluedMap<String, String> body,
            HttpServerRequest request) {
        pages.requireCsrf(request, body.getFirst("csrf"));
        if (body.containsKey("json")) {
            String document = body.getFirst("json");
            return saveJson(name, document, () -> {
                JsonNode tree = JsonBodies.parse(document);
                if (tree instanceof ObjectNode object && !object.hasNonNull("name")) {
                    object.put("name", name);
                }
                return parser.parse(tree);
            }, doc -> providers.replace(name, doc), request);
        }
        return stored(name).chain(tree -> saveForm(FormSubmission.fromForm(body, tree, name, json),
                doc -> providers.replace(name, doc), request));
    }

    @POST
    @Path("/{name}/enabled")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> setEnabled(@RestPath String name, MultivaluedMap<String, String> body,
            HttpServerRequest request) {
        pages.requireCsrf(request, body.getFirst("csrf"));
        boolean enabled = "true".equals(body.getFirst("enabled"));
        return providers.setEnabled(name, enabled).map(updated -> request.getHeader("HX-Request") != null
                ? Response.ok(updated.enabled() ? "enabled" : "disabled").type(MediaType.TEXT_PLAIN).build()
                : Response.seeOther(URI.create(back(body.getFirst("back"), "/providers"))).build());
    }

    @POST
    @Path("/{name}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> delete(@RestPath String name, MultivaluedMap<String, String> body,
            HttpServerRequest request) {
        pages.requireCsrf(request, body.getFirst("csrf"));
        return providers.delete(name).map(ignored -> Response.seeOther(URI.create("/providers?deleted="
                + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8))).build());
    }

    @POST
    @Path("/{name}/test")
    public Uni<String> test(@RestPath String name, @RestForm String csrf, HttpServerRequest request) {
        pages.requireCsrf(request, csrf);
        return providers.getForCall(name).chain(tester::test)
                .map(report -> testResults.data("report", report).render());
    }

    private Uni<Response> saveForm(FormSubmission.Submission submission,
            java.util.function.Function<ProviderDocument, Uni<ProviderConfig>> save, HttpServerRequest request) {
        ProviderDocument document;
        try {
            document = parser.parse(submission.document());
        } catch (ApiException e) {
            return Uni.createFrom().item(invalid(submission.view(), concat(submission.violations(), e), e.status(),
                    request));
        }
        if (!submission.violations().isEmpty()) {
            return Uni.createFrom().item(invalid(submission.view(), submission.violations(), 400, request));
        }
        return save.apply(document).map(this::saved)
                .onFailure(ApiException.class).recoverWithItem(e -> {
                    ApiException api = (ApiException) e;
                    return invalid(submission.view(), violationsOf(api), api.status(), request);
                });
    }

    private Uni<Response> saveJson(String name, String document, java.util.function.Supplier<ProviderDocument> parse,
            java.util.function.Function<ProviderDocument, Uni<ProviderConfig>> save, HttpServerRequest request) {
        return Uni.createFrom().<ProviderDocument> item(parse::get).chain(doc -> save.apply(doc)).map(this::saved)
                .onFailure(ApiException.class).recoverWithItem(e -> {
                    ApiException api = (ApiException) e;
                    return Response.status(api.status()).type(MediaType.TEXT_HTML_TYPE)
                            .entity(render(ProviderForm.json(name, document == null ? "" : document,
                                    violationsOf(api)), false, request))
                            .build();
                });
    }

    private Response saved(ProviderConfig config) {
        return Response.seeOther(URI.create("/providers/" + config.name() + "/edit?saved=1")).build();
    }

    private Response invalid(ProviderFormView view, List<Violation> violations, int status,
            HttpServerRequest request) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(render(ProviderForm.withViolations(view, violations), false, request)).build();
    }

    private String render(ProviderFormView view, boolean saved, HttpServerRequest request) {
        return render(view, saved, request, null, List.of(), DiscoveryStatus.NONE);
    }

    /**
     * @param preset the preset a new form starts from (its picker, hint and {@code ${NAME}} reference), or null
     * @param warnings advice about the stored config (the HTTPS notice)
     * @param discovery the discovered models of a provider saved without models
     */
    private String render(ProviderFormView view, boolean saved, HttpServerRequest request, ProviderPreset preset,
            List<FieldWarning> warnings, DiscoveryStatus discovery) {
        ProviderFormView shown = view.violations().isEmpty() && !view.jsonMode()
                ? ProviderForm.withViolations(view, List.of())
                : view;
        TemplateInstance page = form.data("form", shown).data("saved", saved).data("presets", presets.all())
                .data("preset", preset).data("presetId", preset == null ? "" : preset.id())
                .data("presetKey", preset == null ? "" : preset.apiKeyReference()).data("warnings", warnings)
                .data("discovery", discovery)
                .data("endpointTemplate", new io.visca.gateway.registry.dashboard.form.FormRow("endpoints",
                        io.visca.gateway.registry.dashboard.form.FormRow.TEMPLATE, Map.of(), Map.of()))
                .data("modelTemplate", new io.visca.gateway.registry.dashboard.form.FormRow("models",
                        io.visca.gateway.registry.dashboard.form.FormRow.TEMPLATE, Map.of(), Map.of()));
        return pages.page(page, "providers", request).render();
    }

    /** The stored document, redacted, without its null fields. */
    private Uni<ObjectNode> stored(String name) {
        return providers.get(name).map(config -> ProviderForm.withoutNulls(json.valueToTree(config)));
    }

    private static List<Violation> violationsOf(ApiException e) {
        if (!e.violations().isEmpty()) {
            return e.violations();
        }
        return List.of(new Violation(e.param() == null ? "" : e.param(), e.getMessage()));
    }

    private static List<Violation> concat(List<Violation> first, ApiException e) {
        List<Violation> all = new java.util.ArrayList<>(first);
        all.addAll(violationsOf(e));
        return all;
    }

    private static String back(String value, String fallback) {
        return value != null && value.startsWith("/") && !value.startsWith("//") && !value.contains("\\") ? value
                : fallback;
    }
}
