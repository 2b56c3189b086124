package io.visca.gateway.infra.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The registry's admin API as an operator uses it, for the tests of the services that follow the registry: providers,
 * client keys and default routing policies. Each call fails with the registry's status and body when it refuses.
 */
public final class RegistryAdminClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Supplier<String> url;
    private final String adminToken;

    /** @param url the registry's base URL, asked for at each call (a test resource may start it later) */
    public RegistryAdminClient(Supplier<String> url, String adminToken) {
        this.url = url;
        this.adminToken = adminToken;
    }

    /** Creates the provider, or replaces it when one of that name exists. */
    public void putProvider(String json) {
        String name = read(json).path("name").asText();
        HttpResponse<String> created = call("POST", "/api/providers", json);
        if (created.statusCode() == 409) {
            created = call("PUT", "/api/providers/" + name, json);
        }
        if (created.statusCode() / 100 != 2) {
            throw new IllegalStateException("registry refused provider " + name + ": " + created.statusCode() + " "
                    + created.body());
        }
    }

    public void deleteProvider(String name) {
        HttpResponse<String> deleted = call("DELETE", "/api/providers/" + name, null);
        if (deleted.statusCode() != 204 && deleted.statusCode() != 404) {
            throw new IllegalStateException("delete " + name + ": " + deleted.statusCode() + " " + deleted.body());
        }
    }

    public void setEnabled(String name, boolean enabled) {
        HttpResponse<String> patched = call("PATCH", "/api/providers/" + name, "{\"enabled\":" + enabled + "}");
        if (patched.statusCode() != 200) {
            throw new IllegalStateException("patch " + name + ": " + patched.statusCode() + " " + patched.body());
        }
    }

    /** A new client key: {@code [id, key]}. */
    public String[] createKey(String name) {
        HttpResponse<String> created = call("POST", "/api/keys", "{\"name\":\"" + name + "\"}");
        if (created.statusCode() != 201) {
            throw new IllegalStateException("create key: " + created.statusCode() + " " + created.body());
        }
        JsonNode body = read(created.body());
        return new String[] { body.path("id").asText(), body.path("key").asText() };
    }

    /** A new client key from a whole body (name and policy): {@code [id, key]}. */
    public String[] createKeyWith(String json) {
        JsonNode body = read(expect(201, "POST", "/api/keys", json));
        return new String[] { body.path("id").asText(), body.path("key").asText() };
    }

    /**
     * Calls the admin API and returns the answer's body.
     *
     * @throws IllegalStateException when the status is not {@code status}, with the answer
     */
    public String expect(int status, String method, String path, String json) {
        HttpResponse<String> answer = call(method, path, json);
        if (answer.statusCode() != status) {
            throw new IllegalStateException(method + " " + path + ": " + answer.statusCode() + " " + answer.body());
        }
        return answer.body();
    }

    public void revokeKey(String id) {
        HttpResponse<String> revoked = call("DELETE", "/api/keys/" + id, null);
        if (revoked.statusCode() / 100 != 2) {
            throw new IllegalStateException("revoke key: " + revoked.statusCode() + " " + revoked.body());
        }
    }

    /** Sets the default routing policy of {@code model} ({@code auto} included); a null policy removes it. */
    public void setRouting(String model, String policyJson) {
        String path = "auto".equals(model) ? "/api/routing/auto" : "/api/routing/models/" + model;
        HttpResponse<String> set = call(policyJson == null ? "DELETE" : "PUT", path, policyJson);
        if (set.statusCode() / 100 != 2 && !(policyJson == null && set.statusCode() == 404)) {
            throw new IllegalStateException("routing " + model + ": " + set.statusCode() + " " + set.body());
        }
    }

    private HttpResponse<String> call(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url.get() + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
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

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }
}
