package io.visca.gateway.snapshot;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.visca.gateway.auth.SecretsKeyConfig;
import io.visca.gateway.contracts.provider.GatewayKey;
import io.visca.gateway.contracts.provider.GatewayTeam;
import io.visca.gateway.contracts.provider.KeyLimits;
import io.visca.gateway.contracts.provider.RegistrySnapshot;

/**
 * {@link RegistrySnapshots} against a real HTTP server playing the registry's {@code /internal/snapshot}: retries with
 * backoff until it answers, keeps the last snapshot when a fetch fails, folds refreshes asked for during a fetch into
 * one more, never takes an older revision in, and fetches on a newer {@code provider-changed} revision only.
 */
class RegistrySnapshotsTests {

    private static final GatewayKey KEY = new GatewayKey("k1", "app", "ab12", java.time.Instant.EPOCH, "search",
            List.of("m"), null, new KeyLimits(new java.math.BigDecimal("0.50"), "day", 60, null), null, null);
    private static final GatewayTeam TEAM = new GatewayTeam("search",
            new KeyLimits(new java.math.BigDecimal("5"), "month", null, 1000));
    private final List<RegistrySnapshot> received = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration NONE_FOR = Duration.ofMillis(400);

    private Vertx vertx;
    private HttpServer server;
    private HttpClient client;
    private RegistrySnapshots snapshots;
    private final List<Long> taken = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile long revision = 1;
    private volatile Promise<Void> hold;

    @BeforeEach
    void registry() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> {
            authorizations.add(request.getHeader("Authorization"));
            Promise<Void> held = hold;
            Future<Void> ready = held == null ? Future.succeededFuture() : held.future();
            int answer = status;
            long at = revision;
            ready.onComplete(x -> request.response().setStatusCode(answer).putHeader("content-type",
                    "application/json").end(answer == 200 ? "{\"revision\":" + at + "}" : "{\"error\":\"down\"}"));
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        client = vertx.createHttpClient();
    }

    @AfterEach
    void stop() {
        if (snapshots != null) {
            snapshots.stop();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** A real REST call, as the Quarkus REST client makes it in a service. */
    private Uni<RegistrySnapshot> fetch(String authorization) {
        Future<RegistrySnapshot> answer = client
                .request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/internal/snapshot")
                .compose(request -> request.putHeader("Authorization", authorization).send())
                .compose(response -> response.body().compose(body -> response.statusCode() == 200
                        ? Future.succeededFuture(body.toString())
                        : Future.failedFuture("HTTP " + response.statusCode())))
                .map(body -> {
                    try {
                        long at = JSON.readTree(body).path("revision").asLong();
                        return new RegistrySnapshot(at, null, List.of(), List.of(KEY), null, List.of(TEAM));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        return Uni.createFrom().completionStage(answer.toCompletionStage());
    }

    private RegistrySnapshots start(Duration refreshInterval) {
        SnapshotSecrets secrets = new SnapshotSecrets(new TestKey(), "provider '%s': %s");
        snapshots = new RegistrySnapshots(this::fetch, secrets, vertx, "svc-token", new Timing(refreshInterval),
                (snapshot, problems) -> {
                    taken.add(snapshot.revision());
                    received.add(snapshot);
                });
        snapshots.start();
        return snapshots;
    }

    private RegistrySnapshots loaded(long at) {
        revision = at;
        start(Duration.ofHours(1));
        await().until(snapshots::loaded);
        return snapshots;
    }

    private void awaitNoFetchInFlight() {
        int before = authorizations.size();
        await().during(NONE_FOR).atMost(Duration.ofSeconds(5)).until(() -> authorizations.size() == before);
    }

    @Test
    void asksAgainWithBackoffUntilTheRegistryAnswersWithTheServiceToken() {
        status = 503;
        start(Duration.ofHours(1));
        await().until(() -> snapshots.failures() >= 3);
        assertFalse(snapshots.loaded());
        HealthCheckResponse loading = snapshots.readiness().build();
        assertEquals(HealthCheckResponse.Status.DOWN, loading.getStatus(), "503 while loading");

        revision = 7;
        status = 200;
        await().until(snapshots::loaded);
        assertEquals(0, snapshots.failures());
        assertEquals(7, snapshots.revision());
        assertEquals(List.of(7L), taken);
        assertTrue(authorizations.stream().allMatch("Bearer svc-token"::equals), authorizations.toString());
        HealthCheckResponse ready = snapshots.readiness().build();
        assertEquals(HealthCheckResponse.Status.UP, ready.getStatus());
        assertEquals(Optional.of(7L), ready.getData().map(data -> data.get("revision")));
        assertEquals(Optional.of(0L), ready.getData().map(data -> ((Number) data.get("failed_fetches")).longValue()));
    }

    @Test
    void handsOnTheKeysAndTeamsWithTheirPoliciesAsFetched() {
        loaded(5);
        RegistrySnapshot snapshot = received.get(0);
        assertEquals(List.of(KEY), snapshot.apiKeys());
        assertEquals(List.of(TEAM), snapshot.teams(), "a team's limits reach the service (they were once dropped)");
    }

    @Test
    void keepsTheLastSnapshotWhenAFetchFails() {
        loaded(3);
        status = 500;
        snapshots.refresh();
        await().until(() -> snapshots.failures() >= 1);
        assertTrue(snapshots.loaded());
        assertEquals(3, snapshots.revision());
        assertEquals(List.of(3L), taken);
        assertEquals(HealthCheckResponse.Status.UP, snapshots.readiness().build().getStatus(), "stays ready");
    }

    @Test
    void foldsRefreshesAskedForDuringAFetchIntoOneMore() {
        loaded(1);
        awaitNoFetchInFlight();
        int before = authorizations.size();
        hold = Promise.promise();
        revision = 2;
        snapshots.refresh();
        await().until(() -> authorizations.size() == before + 1);
        for (int i = 0; i < 5; i++) {
            snapshots.refresh();
        }
        assertEquals(before + 1, authorizations.size(), "no second fetch while one runs");
        Promise<Void> held = hold;
        hold = null;
        held.complete();
        await().until(() -> authorizations.size() == before + 2);
        awaitNoFetchInFlight();
        assertEquals(before + 2, authorizations.size(), "the five are folded into one");
        assertEquals(2, snapshots.revision());
    }

    @Test
    void neverTakesAnOlderRevisionIn() {
        loaded(5);
        revision = 4;
        int before = authorizations.size();
        snapshots.refresh();
        await().until(() -> authorizations.size() > before);
        awaitNoFetchInFlight();
        assertEquals(5, snapshots.revision());
        assertEquals(List.of(5L), taken);
        assertEquals(0, snapshots.failures());
    }

    @Test
    void providerChangedFetchesOnlyForANewerRevisionOrAnUnreadableEvent() {
        loaded(5);
        awaitNoFetchInFlight();
        ProviderChangedConsumer consumer = new ProviderChangedConsumer(snapshots);
        int before = authorizations.size();

        consumer.changed("{\"provider\":\"p\",\"revision\":5}");
        awaitNoFetchInFlight();
        assertEquals(before, authorizations.size(), "already at revision 5");

        revision = 6;
        consumer.changed("{\"provider\":\"p\",\"revision\":6}");
        await().until(() -> snapshots.revision() == 6);
        assertEquals(before + 1, authorizations.size());

        consumer.changed("not json");
        await().until(() -> authorizations.size() == before + 2);
    }

    @Test
    void refetchesEveryRefreshIntervalWithoutAnEvent() {
        start(Duration.ofSeconds(1));
        await().until(snapshots::loaded);
        revision = 9;
        await().atMost(Duration.ofSeconds(5)).until(() -> snapshots.revision() == 9);
        assertEquals(List.of(1L, 9L), taken.stream().distinct().toList());
    }

    /** Short backoff (50 ms doubling to 200 ms), so a test sees several attempts. */
    private record Timing(Duration refreshInterval) implements SnapshotClientConfig {
        @Override
        public Duration initialBackoff() {
            return Duration.ofMillis(50);
        }

        @Override
        public Duration maxBackoff() {
            return Duration.ofMillis(200);
        }
    }

    /** The dev/test profile's fixed key, as the services' %test configs set it. */
    private static final class TestKey implements SecretsKeyConfig {
        @Override
        public Optional<String> key() {
            return Optional.empty();
        }

        @Override
        public Optional<String> keyFile() {
            return Optional.empty();
        }

        @Override
        public Optional<String> previousKeys() {
            return Optional.empty();
        }

        @Override
        public Optional<String> previousKeysFile() {
            return Optional.empty();
        }

        @Override
        public Optional<String> devKey() {
            return Optional.of("dGVzdC1vbmx5LXNlY3JldC1rZXktbm90LWZvci11c2U=");
        }
    }
}
