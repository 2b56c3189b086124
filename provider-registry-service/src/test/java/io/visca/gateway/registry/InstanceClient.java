package io.visca.gateway.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One registry instance as the load balancer's clients see it: the admin API, the snapshot's revision and the
 * dashboard's login, pages and logout, over plain HTTP without following redirects.
 */
final class InstanceClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final String url;
    private final String adminToken;
    private final String serviceToken;

    InstanceClient(String url, String adminToken, String serviceToken) {
        this.url = url;
        this.adminToken = adminToken;
        this.serviceToken = serviceToken;
    }

    /** An answer: status, body and headers. */
    record Answer(int status, String body, Map<String, List<String>> headers) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }

        /** The value a {@code Set-Cookie} gives the cookie {@code name}, or null. */
        String cookie(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("set-cookie"))
                    .flatMap(e -> e.getValue().stream()).filter(c -> c.startsWith(name + "="))
                    .map(c -> c.substring(name.length() + 1).split(";", 2)[0]).findFirst().orElse(null);
        }
    }

    Answer createProvider(String name) throws IOException, InterruptedException {
        return send(admin("/api/providers").POST(HttpRequest.BodyPublishers.ofString(provider(name, 0))));
    }

    /** A full replace that changes the provider's price, so that each one is a change. */
    Answer replaceProvider(String name, int version) throws IOException, InterruptedException {
        return send(admin("/api/providers/" + name).PUT(HttpRequest.BodyPublishers.ofString(provider(name, version))));
    }

    /** The registry's revision, as its snapshot says. */
    long revision() throws IOException, InterruptedException {
        Answer snapshot = send(HttpRequest.newBuilder(URI.create(url + "/internal/snapshot"))
                .header("Authorization", "Bearer " + serviceToken).timeout(Duration.ofSeconds(10)));
        if (snapshot.status() != 200) {
            throw new IllegalStateException("snapshot answered " + snapshot.status() + ": " + snapshot.body());
        }
        return JSON.readTree(snapshot.body()).path("revision").asLong();
    }

    Answer login(String token) throws IOException, InterruptedException {
        return send(form("/login", null, "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
    }

    Answer page(String path, String session) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url + path)).header("Cookie", "visca_session=" + session)
                .timeout(Duration.ofSeconds(10)));
    }

    Answer logout(String session, String csrf) throws IOException, InterruptedException {
        return send(form("/logout", session, "csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8)));
    }

    private HttpRequest.Builder form(String path, String session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return session == null ? request : request.header("Cookie", "visca_session=" + session);
    }

    private HttpRequest.Builder admin(String path) {
        return HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10));
    }

    private static Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response.headers().map());
    }

    private static String provider(String name, int version) {
        return "{\"name\":\"" + name + "\",\"type\":\"openai-compatible\",\"base_url\":\"http://127.0.0.1:1/v1\","
                + "\"models\":[{\"id\":\"m\",\"cost_per_1k_input\":\"0." + (100000 + version) + "\"}]}";
    }
}
