package io.visca.gateway.registry.dashboard;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.registry.TestApi;
import io.visca.gateway.registry.TinyHttpServer;

/**
 * The health monitor's {@code GET /api/health} and {@code /api/health/transitions}, and billing's
 * {@code GET /api/usage/summary}, {@code /timeseries}, {@code /reconciliation} and {@code /export}, as the dashboard reads
 * them,
 * and billing's quota store ({@code GET /internal/quota/budgets}) as the key and team budget views read it
 * (same JSON
 * shape, same bearer tokens), and billing's {@code GET /api/budget-alerts}, with what they report set by each test; either can
 * be switched to failing (503) to
 * see the dashboard's banners.
 */
public final class FakeBackends implements AutoCloseable {

    private final TinyHttpServer health;
    private final TinyHttpServer billing;
    private final TinyHttpServer router;
    private volatile boolean routerRejects;
    private volatile String servedBy = "nobody";
    private final Map<String, Map<String, String>> status = new ConcurrentHashMap<>();
    private final Map<String, String> usageRows = new ConcurrentHashMap<>();
    /** What the fake export answers. */
    public static final String EXPORT_CSV = "request_id,occurred_at,provider,model,total_cost\nreq-1,"
            + "2026-11-26T05:00:00Z,p,m,0.01\n";

    private volatile String totalRow = "{\"requests\":0,\"errors\":0,\"total_cost\":\"0.00\"}";
    private volatile String buckets = "";
    private volatile String transitions = "";
    private volatile String reconciliation = "{\"currency\":\"USD\",\"rows\":[],\"totals\":null}";
    private volatile boolean healthDown;
    private volatile boolean billingDown;
    /** Billing's quota store: {@code scope -> "spent,reserved"}. */
    private final Map<String, String> budgets = new ConcurrentHashMap<>();
    private volatile boolean quotaSilent;
    /** Billing's budget alerts, oldest first (a position is the index + 1, as billing's seq). */
    private final List<ObjectNode> alerts = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeBackends() throws Exception {
        health = TinyHttpServer.start(in -> {
            if (healthDown) {
                return new TinyHttpServer.Reply(503, "application/json", "{\"error\":{\"message\":\"down\"}}");
            }
            if (!("Bearer " + TestApi.SERVICE_TOKEN).equals(in.headers().get("authorization"))) {
                return new TinyHttpServer.Reply(401, "application/json", "{}");
            }
            if (in.path().equals("/api/health/transitions")) {
                return new TinyHttpServer.Reply(200, "application/json", "{\"history_started_at\":"
                        + "\"2026-11-26T04:00:00Z\",\"max_age\":\"PT168H\",\"transitions\":[" + transitions + "]}");
            }
            if (!in.path().equals("/api/health")) {
                return new TinyHttpServer.Reply(404, "application/json", "{\"error\":{\"message\":\"no route\"}}");
            }
            StringBuilder providers = new StringBuilder();
            status.forEach((provider, endpoints) -> {
                StringBuilder list = new StringBuilder();
                endpoints.forEach((endpoint, s) -> list.append(list.isEmpty() ? "" : ",").append(
                        "{\"provider\":\"" + provider + "\",\"endpoint\":\"" + endpoint + "\",\"status\":\"" + s
                                + "\",\"latency_ms\":5}"));
                providers.append(providers.isEmpty() ? "" : ",").append("{\"provider\":\"" + provider
                        + "\",\"probed\":true,\"endpoints\":[" + list + "]}");
            });
            return new TinyHttpServer.Reply(200, "application/json",
                    "{\"registry_revision\":1,\"up\":0,\"down\":0,\"unknown\":0,\"providers\":[" + providers + "]}");
        });
        billing = TinyHttpServer.start(in -> {
            if (billingDown) {
                return new TinyHttpServer.Reply(503, "application/json", "{\"error\":{\"message\":\"down\"}}");
            }
            if (in.path().equals("/internal/quota/budgets")) {
                return budgets(in);
            }
            if (!("Bearer " + TestApi.ADMIN_TOKEN).equals(in.headers().get("authorization"))) {
                return new TinyHttpServer.Reply(401, "application/json", "{}");
            }
            if (in.path().equals("/api/budget-alerts")) {
                return budgetAlerts(in);
            }
            if (in.path().equals("/api/usage/timeseries")) {
                return new TinyHttpServer.Reply(200, "application/json", "{\"bucket\":\"hour\",\"buckets\":["
                        + buckets + "]}");
            }
            if (in.path().equals("/api/usage/reconciliation")) {
                return new TinyHttpServer.Reply(200, "application/json", reconciliation);
            }
            if (in.path().equals("/api/usage/export")) {
                return new TinyHttpServer.Reply(200, "text/csv", EXPORT_CSV);
            }
            if (!in.path().equals("/api/usage/summary")) {
                return new TinyHttpServer.Reply(404, "application/json", "{\"error\":{\"message\":\"no route\"}}");
            }
            if (in.query() == null || !in.query().contains("group_by=")) {
                return new TinyHttpServer.Reply(200, "application/json", "{\"group_by\":[],\"currency\":\"USD\","
                        + "\"rows\":[" + totalRow + "]}");
            }
            return new TinyHttpServer.Reply(200, "application/json", "{\"group_by\":[\"provider\"],\"currency\":"
                    + "\"USD\",\"rows\":[" + String.join(",", usageRows.values()) + "]}");
        });
        router = TinyHttpServer.start(in -> {
            String authorization = in.headers().getOrDefault("authorization", "");
            if (!in.path().equals("/v1/chat/completions") || !in.method().equals("POST")) {
                return new TinyHttpServer.Reply(404, "application/json", "{\"error\":{\"message\":\"no route\"}}");
            }
            if (routerRejects || !authorization.startsWith("Bearer vsk_")) {
                return new TinyHttpServer.Reply(401, "application/json",
                        "{\"error\":{\"message\":\"invalid API key\",\"type\":\"authentication_error\"}}");
            }
            return new TinyHttpServer.Reply(200, "text/event-stream", ROUTER_STREAM, Map.of("x-visca-provider",
                    servedBy, "x-visca-endpoint", "gpu-1", "x-visca-attempts", "2", "x-visca-model", "pg-model",
                    "x-visca-strategy", "cost-optimized"));
        });
    }

    /** A chat completion stream as the router sends it: two deltas, the usage chunk, [DONE]. */
    public static final String ROUTER_STREAM = "data: {\"id\":\"c1\",\"model\":\"pg-model\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]}\n\n"
            + "data: {\"id\":\"c1\",\"model\":\"pg-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\n"
            + "data: {\"id\":\"c1\",\"model\":\"pg-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":1000,"
            + "\"completion_tokens\":500,\"total_tokens\":1500}}\n\n"
            + "data: [DONE]\n\n";

    /**
     * Billing's {@code GET /internal/quota/budgets?scope=...&window_start=...} (service token): a JSON array of
     * {@code BudgetStatus} for the asked scopes it knows, in the asked window.
     */
    private TinyHttpServer.Reply budgets(TinyHttpServer.Received in) {
        if (quotaSilent) {
            return null;
        }
        if (!("Bearer " + TestApi.SERVICE_TOKEN).equals(in.headers().get("authorization"))) {
            return new TinyHttpServer.Reply(401, "application/json", "{}");
        }
        List<String> scopes = new java.util.ArrayList<>();
        String windowStart = null;
        for (String pair : (in.query() == null ? "" : in.query()).split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? ""
                    : java.net.URLDecoder.decode(pair.substring(eq + 1),
                            java.nio.charset.StandardCharsets.UTF_8);
            if (name.equals("scope")) {
                scopes.add(value);
            } else if (name.equals("window_start")) {
                windowStart = value;
            }
        }
        if (windowStart == null || scopes.isEmpty()) {
            return new TinyHttpServer.Reply(400, "application/json", "{\"error\":{\"message\":\"scope and "
                    + "window_start are required\"}}");
        }
        StringBuilder body = new StringBuilder();
        for (String scope : scopes) {
            String amounts = budgets.get(scope);
            if (amounts != null) {
                String[] parts = amounts.split(",");
                body.append(body.isEmpty() ? "" : ",").append("{\"scope\":\"" + scope + "\",\"window_start\":\""
                        + windowStart + "\",\"spent_usd\":" + parts[0] + ",\"reserved_usd\":" + parts[1] + "}");
            }
        }
        return new TinyHttpServer.Reply(200, "application/json", "[" + body + "]");
    }

    /**
     * Billing's {@code GET /api/budget-alerts?scope=&limit=&cursor=} (admin token): the alerts added by
     * {@link #budgetAlert}, newest first, of one scope if asked, {@code limit} a page, the cursor the last one's
     * position.
     */
    private TinyHttpServer.Reply budgetAlerts(TinyHttpServer.Received in) {
        Map<String, String> query = query(in.query());
        String scope = query.get("scope");
        int limit = Integer.parseInt(query.getOrDefault("limit", "100"));
        int before = query.containsKey("cursor") ? Integer.parseInt(query.get("cursor")) : Integer.MAX_VALUE;
        ArrayNode data = JSON.createArrayNode();
        String next = null;
        int last = 0;
        for (int seq = alerts.size(); seq >= 1; seq--) {
            ObjectNode alert = alerts.get(seq - 1);
            if (seq >= before || scope != null && !scope.equals(alert.path("scope").asText())) {
                continue;
            }
            if (data.size() == limit) {
                next = Integer.toString(last); // one more exists: the next page starts below the last shown
                break;
            }
            data.add(alert);
            last = seq;
        }
        ObjectNode page = JSON.createObjectNode();
        page.set("data", data);
        page.put("next_cursor", next);
        return new TinyHttpServer.Reply(200, "application/json", page.toString());
    }

    /**
     * Records a budget alert as billing's API shows it (the newest so far), not yet delivered; the caller may change
     * the returned node (delivery fields, ids) before the next request.
     */
    public ObjectNode budgetAlert(String scope, int thresholdPercent, String spentUsd, String maxBudgetUsd,
            String periodStart, String crossedAt) {
        ObjectNode alert = JSON.createObjectNode().put("id", java.util.UUID.randomUUID().toString())
                .put("scope", scope).put("key_id", scope.startsWith("key:") ? scope.substring(4) : null)
                .put("team", scope.startsWith("team:") ? scope.substring(5) : null).put("period_start", periodStart)
                .put("threshold_percent", thresholdPercent).put("spent_usd", spentUsd)
                .put("max_budget_usd", maxBudgetUsd).put("crossed_at", crossedAt).putNull("delivered_at")
                .put("attempts", 0).putNull("last_error");
        alerts.add(alert);
        return alert;
    }

    private static Map<String, String> query(String query) {
        Map<String, String> values = new java.util.HashMap<>();
        for (String pair : (query == null ? "" : query).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    /** What the quota store reports for a scope ({@code key:<id>}, {@code team:<name>}) in any window. */
    public void budget(String scope, String spentUsd, String reservedUsd) {
        budgets.put(scope, spentUsd + "," + reservedUsd);
    }

    /** Whether the quota store accepts requests and never answers them. */
    public void quotaSilent(boolean silent) {
        quotaSilent = silent;
    }

    /** The buckets billing's time series answers with (JSON objects, comma-separated). */
    public void timeseries(String bucketsJson) {
        buckets = bucketsJson;
    }

    /** The body billing's reconciliation answers with. */
    public void reconciliation(String body) {
        reconciliation = body;
    }

    /** The transitions the health monitor answers with (JSON objects, comma-separated, newest first). */
    public void transitions(String transitionsJson) {
        transitions = transitionsJson;
    }

    public static FakeBackends start() throws Exception {
        return new FakeBackends();
    }

    public String routerUrl() {
        return router.url();
    }

    /** The provider the fake router says served the next chats ({@code x-visca-provider}). */
    public void servedBy(String provider) {
        servedBy = provider;
    }

    /** Whether the fake router rejects every key (401), as for a revoked or not yet known key. */
    public void routerRejects(boolean rejects) {
        routerRejects = rejects;
    }

    public List<TinyHttpServer.Received> routerRequests() {
        return router.received();
    }

    public String healthUrl() {
        return health.url();
    }

    public String billingUrl() {
        return billing.url();
    }

    public void endpointStatus(String provider, String endpoint, String value) {
        status.computeIfAbsent(provider, p -> new ConcurrentHashMap<>()).put(endpoint, value);
    }

    public void usage(String provider, long requests, long errors, String totalCost) {
        usageRows.put(provider, "{\"provider\":\"" + provider + "\",\"requests\":" + requests + ",\"errors\":"
                + errors + ",\"total_cost\":\"" + totalCost + "\"}");
    }

    /** The grand total billing answers to a summary without group_by. */
    public void total(long requests, long errors, String totalCost) {
        totalRow = "{\"requests\":" + requests + ",\"errors\":" + errors + ",\"total_cost\":\"" + totalCost
                + "\"}";
    }

    public void healthDown(boolean down) {
        healthDown = down;
    }

    public void billingDown(boolean down) {
        billingDown = down;
    }

    public List<TinyHttpServer.Received> healthRequests() {
        return health.received();
    }

    public List<TinyHttpServer.Received> billingRequests() {
        return billing.received();
    }

    @Override
    public void close() throws Exception {
        health.close();
        billing.close();
        router.close();
    }
}
