package io.visca.gateway.health.testing;

import java.util.ArrayList;
import java.util.List;

/** Provider config documents, as operators write them, for the registry's admin API. */
public final class ProviderJson {

    private final String name;
    private final String type;
    private final List<String> endpoints = new ArrayList<>();
    private String auth = "{\"auth_type\":\"none\"}";
    private String healthPath;
    private String extra = "";
    private int interval = 1;
    private int timeout = 1;
    private int failures = 1;
    private int successes = 1;
    private boolean healthEnabled = true;
    private String healthyStatuses;

    private ProviderJson(String name, String type) {
        this.name = name;
        this.type = type;
    }

    public static ProviderJson of(String name, String type) {
        return new ProviderJson(name, type);
    }

    public ProviderJson endpoint(String id, String baseUrl) {
        endpoints.add("{\"id\":\"" + id + "\",\"base_url\":\"" + baseUrl + "\",\"weight\":1}");
        return this;
    }

    public ProviderJson auth(String authJson) {
        this.auth = authJson;
        return this;
    }

    public ProviderJson bearer(String apiKey) {
        return auth("{\"auth_type\":\"bearer\",\"api_key\":\"" + apiKey + "\"}");
    }

    /** Probes every {@code interval} s with a timeout of 1 s; thresholds of failures and successes. */
    public ProviderJson probe(int intervalSeconds, int failureThreshold, int successThreshold) {
        this.interval = intervalSeconds;
        this.failures = failureThreshold;
        this.successes = successThreshold;
        return this;
    }

    public ProviderJson healthPath(String path) {
        this.healthPath = path;
        return this;
    }

    public ProviderJson healthyStatuses(String jsonArray) {
        this.healthyStatuses = jsonArray;
        return this;
    }

    public ProviderJson healthChecks(boolean enabled) {
        this.healthEnabled = enabled;
        return this;
    }

    /** More top-level fields, e.g. {@code "request": {...}, "transform": {...}} for custom providers. */
    public ProviderJson extra(String fields) {
        this.extra = "," + fields;
        return this;
    }

    public String json() {
        return "{\"name\":\"" + name + "\",\"type\":\"" + type + "\",\"endpoints\":[" + String.join(",", endpoints)
                + "],\"auth\":" + auth + ",\"models\":[{\"id\":\"" + name + "-model\"}],\"health_check\":{\"enabled\":"
                + healthEnabled + (healthPath == null ? "" : ",\"endpoint\":\"" + healthPath + "\"")
                + ",\"interval_seconds\":" + interval + ",\"timeout_seconds\":" + timeout + ",\"failure_threshold\":"
                + failures + ",\"success_threshold\":" + successes
                + (healthyStatuses == null ? "" : ",\"healthy_statuses\":" + healthyStatuses) + "}" + extra + "}";
    }

    /** Creates (or replaces) it in the registry. */
    public void put() {
        RegistryAdmin.putProvider(json());
    }
}
