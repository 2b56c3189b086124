package io.visca.gateway.registry.discovery;

import static io.visca.gateway.registry.TestApi.admin;
import static io.visca.gateway.registry.TestApi.json;
import static io.visca.gateway.registry.TestApi.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;

/**
 * A model listing served by a server of an attacker's choosing: a body larger than the bound (streamed, never read
 * whole), ids a client could never send, far more of them than the bound, an answer that is not a listing. Each
 * provider still saves, the registry keeps serving, and only ids that pass the rules are kept.
 */
@QuarkusTest
class HostileListingTests {

    private static Vertx vertx;
    private static HttpServer server;
    /** What {@code GET /v1/models} answers now. */
    private static final AtomicReference<Buffer> listing = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> request.response()
                .putHeader("content-type", "application/json").end(listing.get())).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static JsonPath discover(String body) {
        listing.set(Buffer.buffer(body));
        String name = uniqueName("hostile");
        admin().body(json("{'name':'" + name + "','type':'openai-compatible','base_url':'http://127.0.0.1:"
                + server.actualPort() + "/v1'}")).post("/api/providers").then().statusCode(201);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonPath view;
        do {
            view = admin().get("/api/providers/" + name).then().statusCode(200).extract().jsonPath();
            if (!"pending".equals(view.getString("discovery.status"))) {
                return view;
            }
            pause();
        } while (System.nanoTime() < deadline);
        throw new AssertionError("still pending: " + view.prettify());
    }

    @Test
    void aListingOverTheBoundFailsThatEndpointAndKeepsNothing() {
        StringBuilder huge = new StringBuilder("{\"object\":\"list\",\"data\":[");
        while (huge.length() < 5 * 1024 * 1024) {
            huge.append("{\"id\":\"model-").append(huge.length()).append("\"},");
        }
        huge.append("{\"id\":\"last\"}]}");
        JsonPath view = discover(huge.toString());
        assertEquals("failed", view.getString("discovery.status"), view.getString("discovery"));
        assertEquals(List.of(), view.getList("models"));
        admin().get("/api/providers").then().statusCode(200);
    }

    @Test
    void idsAClientCouldNeverSendAreIgnoredAndTheCountIsBounded() {
        StringBuilder many = new StringBuilder("{\"object\":\"list\",\"data\":[{\"id\":\"auto\"},{\"id\":\"has space\"},"
                + "{\"id\":\"\\u0000nul\"},{\"id\":42},{\"id\":\"" + "x".repeat(300) + "\"},{\"no\":\"id\"},");
        for (int i = 0; i < 1500; i++) {
            many.append("{\"id\":\"m-").append(String.format("%04d", i)).append("\"},");
        }
        many.append("{\"id\":\"fine/model-id\"}]}");
        JsonPath view = discover(many.toString());
        List<String> ids = view.getList("models.id");
        assertTrue(ids.size() <= 1000, "at most 1000 kept: " + ids.size());
        assertFalse(ids.contains("auto") || ids.contains("has space") || ids.contains("x".repeat(300)), ids.toString());
        assertTrue(ids.stream().allMatch(id -> id.matches("[\\x21-\\x7E]{1,256}")), ids.toString());
    }

    @Test
    void anAnswerThatIsNotAListingFailsWithoutAnUpstreamBodyInTheReason() {
        JsonPath view = discover("{\"error\":\"secret-looking upstream text\"}");
        assertEquals("failed", view.getString("discovery.status"));
        assertFalse(view.getString("discovery.error").contains("secret-looking"), view.getString("discovery.error"));
        assertEquals(List.of(), view.getList("models"));
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
