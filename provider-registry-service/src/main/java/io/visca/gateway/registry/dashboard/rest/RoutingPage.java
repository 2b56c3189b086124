package io.visca.gateway.registry.dashboard.rest;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.routing.RoutingPolicy;
import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.kit.admin.error.Violation;
import io.visca.gateway.registry.dashboard.session.Dashboard;
import io.visca.gateway.registry.dashboard.session.DashboardPages;
import io.visca.gateway.registry.provider.service.ProviderService;
import io.visca.gateway.registry.routing.mapping.RoutingPolicyParser;
import io.visca.gateway.registry.routing.service.RoutingService;

/**
 * Enable Routing: a toggle per provider (its enabled flag) and the default routing policy for {@code auto} and
 * per model, saved through {@link RoutingService} with the API's validation.
 */
@Path("/routing")
@Dashboard
@Produces(MediaType.TEXT_HTML)
public class RoutingPage {

    private static final Pattern WEIGHT = Pattern.compile("\\s*([^=\\s]+)\\s*=\\s*(\\S+)\\s*");

    private final ProviderService providers;
    private final RoutingService routing;
    private final DashboardPages pages;
    private final Template page;

    RoutingPage(ProviderService providers, RoutingService routing, DashboardPages pages,
            @Location("dashboard/routing.html") Template page) {
        this.providers = providers;
        this.routing = routing;
        this.pages = pages;
        this.page = page;
    }

    /** One policy form: the model ({@code auto} or a model id), its values and the violations of a failed save. */
    @TemplateData
    public record PolicyForm(String model, String strategy, String providers, boolean fallback, String weights,
            boolean set, List<Violation> violations) {

        public boolean auto() {
            return RoutingPolicy.AUTO.equals(model);
        }

        public List<String> strategies() {
            return RoutingPolicy.STRATEGIES;
        }

        public String slug() {
            return "policy-" + model.replaceAll("[^A-Za-z0-9_-]", "-");
        }
    }

    @GET
    public Uni<String> show(@RestQuery String saved, HttpServerRequest request) {
        return render(null, saved, request);
    }

    @POST
    @Path("/policy")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> save(MultivaluedMap<String, String> form, HttpServerRequest request) {
        pages.requireCsrf(request, form.getFirst("csrf"));
        String model = form.getFirst("model") == null ? "" : form.getFirst("model");
        PolicyForm submitted = new PolicyForm(model, blank(form.getFirst("strategy")),
                blank(form.getFirst("providers")), "true".equals(form.getFirst("fallback")),
                blank(form.getFirst("weights")), true, List.of());
        List<Violation> violations = new ArrayList<>();
        String problem = RoutingPolicy.AUTO.equals(model) ? null : RoutingPolicyParser.modelIdProblem(model);
        if (problem != null) {
            violations.add(new Violation("model", problem));
        }
        if ("1".equals(form.getFirst("reset"))) {
            if (!violations.isEmpty()) {
                return invalid(submitted, violations, request);
            }
            return routing.delete(model).onFailure(e -> e instanceof ApiException api && api.status() == 404)
                    .recoverWithNull().replaceWith(saved(model));
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (!submitted.strategy().isEmpty()) {
            body.put("strategy", submitted.strategy());
        }
        ArrayNode order = body.putArray("providers");
        for (String name : submitted.providers().split("[,\\s]+")) {
            if (!name.isEmpty()) {
                order.add(name);
            }
        }
        body.put("fallback", submitted.fallback());
        ObjectNode weights = body.putObject("weights");
        for (String pair : submitted.weights().split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            var matcher = WEIGHT.matcher(pair);
            if (!matcher.matches()) {
                violations.add(new Violation("weights", "write provider=weight pairs separated by commas, e.g. "
                        + "'my-vllm=3, openai=1'"));
            } else if (matcher.group(2).matches("\\d{1,9}")) {
                weights.put(matcher.group(1), Integer.parseInt(matcher.group(2)));
            } else {
                weights.put(matcher.group(1), matcher.group(2));
            }
        }
        if (!violations.isEmpty()) {
            return invalid(submitted, violations, request);
        }
        return routing.put(model, body).replaceWith(saved(model))
                .onFailure(ApiException.class).recoverWithUni(e -> invalid(submitted,
                        ((ApiException) e).violations().isEmpty()
                                ? List.of(new Violation("", e.getMessage()))
                                : ((ApiException) e).violations(),
                        request));
    }

    private Response saved(String model) {
        return Response.seeOther(URI.create("/routing?saved=" + URLEncoder.encode(model, StandardCharsets.UTF_8)))
                .build();
    }

    private Uni<Response> invalid(PolicyForm form, List<Violation> violations, HttpServerRequest request) {
        PolicyForm failed = new PolicyForm(form.model(), form.strategy(), form.providers(), form.fallback(),
                form.weights(), form.set(), List.copyOf(violations));
        return render(failed, null, request).map(html -> Response.status(400).entity(html).build());
    }

    private Uni<String> render(PolicyForm failed, String saved, HttpServerRequest request) {
        // one after the other: a reactive Hibernate session runs one query at a time
        return providers.list().chain(all -> routing.get().map(policies -> {
            TreeSet<String> models = new TreeSet<>(policies.models().keySet());
            all.forEach(p -> p.models().stream().map(ModelConfig::id).forEach(models::add));
            if (failed != null && !failed.auto()) {
                models.add(failed.model()); // shown again with its input and violations
            }
            List<PolicyForm> forms = new ArrayList<>();
            forms.add(form(RoutingPolicy.AUTO, policies.auto(), failed));
            models.forEach(model -> forms.add(form(model, policies.models().get(model), failed)));
            return pages.page(page.data("providers", all).data("policies", forms).data("saved", saved)
                    .data("failed", failed), "routing", request).render();
        }));
    }

    private static PolicyForm form(String model, RoutingPolicy policy, PolicyForm failed) {
        if (failed != null && failed.model().equals(model)) {
            return failed;
        }
        if (policy == null) {
            return new PolicyForm(model, "", "", true, "", false, List.of());
        }
        StringBuilder weights = new StringBuilder();
        for (Map.Entry<String, Integer> weight : new java.util.TreeMap<>(policy.weights()).entrySet()) {
            weights.append(weights.isEmpty() ? "" : ", ").append(weight.getKey()).append('=').append(weight.getValue());
        }
        return new PolicyForm(model, policy.strategy() == null ? "" : policy.strategy(),
                String.join(", ", policy.providers()), policy.fallback() == null || policy.fallback(),
                weights.toString(), true, List.of());
    }

    private static String blank(String value) {
        return value == null ? "" : value.trim();
    }
}
