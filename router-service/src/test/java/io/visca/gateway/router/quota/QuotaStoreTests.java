package io.visca.gateway.router.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.visca.gateway.contracts.quota.QuotaExchange;

/** The quota store's client: a release whose exchange failed goes again with the next exchange, once. */
class QuotaStoreTests {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private Vertx vertx;
    private HttpServer server;
    private final AtomicInteger failuresLeft = new AtomicInteger();
    /** The lease ids of each exchange's releases, as the store received them. */
    private final List<List<String>> received = new ArrayList<>();
    private QuotaStore store;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            try {
                List<String> ids = new ArrayList<>();
                for (JsonNode release : JSON.readTree(body.getBytes()).path("releases")) {
                    ids.add(release.path("leaseId").asText());
                }
                synchronized (received) {
                    received.add(ids);
                }
            } catch (java.io.IOException e) {
                request.response().setStatusCode(400).end();
                return;
            }
            if (failuresLeft.getAndDecrement() > 0) {
                request.response().setStatusCode(503).end();
            } else {
                request.response().putHeader("content-type", "application/json").end("{\"grants\":[],\"expired\":[]}");
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        store = new QuotaStore(vertx, URI.create("http://127.0.0.1:" + server.actualPort()), "service-token", 5000,
                JSON);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aReleaseTheStoreDidNotTakeGoesAgainWithTheNextExchange() throws Exception {
        failuresLeft.set(1);
        assertFalse(exchange(List.of(release("lease-1"))), "the store answered 503");
        assertTrue(store.down(), "no more asking for a second");
        assertTrue(store.releasesPending());

        assertTrue(exchange(List.of(release("lease-2"))));
        assertFalse(store.releasesPending());
        assertTrue(exchange(List.of()));

        assertEquals(List.of(List.of("lease-1"), List.of("lease-2", "lease-1"), List.of()), received,
                "lease-1 sent again with the next exchange, and only until the store took it");
    }

    @Test
    void aLeaseAskedForInAFailedExchangeIsGivenBackByTheIdTheRouterChose() throws Exception {
        failuresLeft.set(1);
        QuotaExchange.Ask ask = new QuotaExchange.Ask("b", "key:k", QuotaExchange.BUDGET,
                java.time.Instant.parse("2026-12-07T00:00:00Z"), BigDecimal.ONE, BigDecimal.ZERO,
                new BigDecimal("0.05"), "0b0c6c14-5a4f-4f4e-9f7a-1c2b3d4e5f60");
        assertFalse(store.exchange(List.of(), List.of(), List.of(ask)).map(answer -> true).otherwise(false)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertTrue(exchange(List.of()));
        assertEquals(List.of(List.of(), List.of("0b0c6c14-5a4f-4f4e-9f7a-1c2b3d4e5f60")), received,
                "the store may have granted it to nobody: released by its id, with nothing used");
    }

    @Test
    void exchangesAskedFromAThreadOutsideVertxAlwaysComplete() throws Exception {
        // the shutdown hook gives leases back from such a thread; the answer's body used to be asked for after it
        // had gone by, one exchange in eight never completed
        for (int i = 0; i < 60; i++) {
            failuresLeft.set(i % 2);
            exchange(List.of(release("lease-" + i)));
        }
        assertEquals(60 + 29, received.stream().mapToInt(List::size).sum(),
                "each failed release went again with the next exchange (the last one's is still pending)");
        assertTrue(store.releasesPending());
    }

    private boolean exchange(List<QuotaExchange.Release> releases) throws Exception {
        return store.exchange(releases, List.of(), List.of()).map(answer -> true).otherwise(false)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static QuotaExchange.Release release(String id) {
        return new QuotaExchange.Release(id, new BigDecimal("0.01"));
    }
}
