package io.visca.gateway.health.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The registry's admin API, as an operator uses it. */
public final class RegistryAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RegistryAdmin() {
    }

    /** Creates the provider, or replaces it when one of that name exists. */
    public static void putProvider(String json) {
        String name;
        try {
            name = JSON.readTree(json).path("name").asText();
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
        HttpResponse<String> created = call("POST", "/api/providers", json);
        if (created.statusCode() == 409) {
            created = call("PUT", "/api/providers/" + name, json);
        }
        if (created.statusCode() / 100 != 2) {
            throw new IllegalStateException("registry refused provider " + name + ": " + created.statusCode() + " "
                    + created.body());
        }
    }

    public static void deleteProvider(String name) {
        HttpResponse<String> deleted = call("DELETE", "/api/providers/" + name, null);
        if (deleted.statusCode() != 204 && deleted.statusCode() != 404) {
            throw new IllegalStateException("delete " + name + ": " + deleted.statusCode() + " " + deleted.body());
        }
    }

    public static void setEnabled(String name, boolean enabled) {
        HttpResponse<String> patched = call("PATCH", "/api/providers/" + name, "{\"enabled\":" + enabled + "}");
        if (patched.statusCode() != 200) {
            throw new IllegalStateException("patch " + name + ": " + patched.statusCode() + " " + patched.body());
        }
    }

    private static HttpResponse<String> call(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(MonitorTestResource.registry().url() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + MonitorTestResource.ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + " interrupted", e);
        }
    }
}
