package io.visca.gateway.billing.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.JsonNode;

/** The test's side of {@link WebhookReceiverResource}: what it received, and which scopes it refuses. */
public final class WebhookReceiver {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One post as the receiver saw it; {@code body} parsed. */
    public record Post(int status, String path, String contentType, String signature, String alertId, String rawBody,
            JsonNode body) {
    }

    private WebhookReceiver() {
    }

    /** Every post received for {@code scope}, in arrival order. */
    public static List<Post> received(String scope) {
        try {
            List<Post> posts = new ArrayList<>();
            for (JsonNode p : UsageEvents.JSON.readTree(send("GET", "/received"))) {
                JsonNode body = UsageEvents.JSON.readTree(p.get("body").asText());
                if (scope.equals(body.path("scope").asText())) {
                    posts.add(new Post(p.get("status").asInt(), p.get("path").asText(), p.path("content_type").asText(),
                            p.path("signature").asText(null), p.path("alert_id").asText(null),
                            p.get("body").asText(), body));
                }
            }
            return posts;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Posts of {@code scope} are answered 503 ({@code true}) or 204. */
    public static void failing(String scope, boolean failing) {
        send(failing ? "PUT" : "DELETE", "/failing?scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
    }

    /** Posts of {@code scope} are never answered (until {@link #failing} with false). */
    public static void hanging(String scope) {
        send("PUT", "/failing?mode=hang&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
    }

    private static String send(String method, String path) {
        String hook = ConfigProvider.getConfig().getValue("billing.alerts.webhook-url", String.class);
        URI base = URI.create(hook);
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + base.getHost() + ":" + base.getPort() + path))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
