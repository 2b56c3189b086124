package io.visca.gateway.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.visca.gateway.outbound.OutboundPolicy.Access;

/**
 * {@link OutboundGuard} with the JDK's resolver and a real Vert.x client and server: the client connects to the
 * checked address and keeps the host name for the {@code Host} header; a refused address gets no request. The names
 * come from this module's test hosts file ({@code -Djdk.net.hosts.file}): {@code loopback.outbound.test} is
 * 127.0.0.1, {@code metadata.outbound.test} is 169.254.169.254.
 */
class OutboundGuardConnectTests {

    private final Vertx vertx = Vertx.vertx();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        server = await(vertx.createHttpServer().requestHandler(request -> {
            received.add(request.method() + " " + request.uri() + " Host: " + request.getHeader("host"));
            request.response().end("ok");
        }).listen(0, "127.0.0.1"));
        client = vertx.createHttpClient();
    }

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** What the services do: the guard's address as the server, the URL's host for everything else. */
    private Future<String> get(OutboundGuard guard, String host) {
        return guard.server(host, server.actualPort()).compose(address -> client.request(new RequestOptions()
                .setMethod(HttpMethod.GET).setHost(host).setPort(server.actualPort()).setURI("/v1/models")
                .setServer(address).setFollowRedirects(false)))
                .compose(request -> request.send().compose(response -> response.body()))
                .map(Object::toString);
    }

    @Test
    void aNameIsCalledAtTheCheckedAddressUnderItsOwnName() throws Exception {
        OutboundGuard guard = new OutboundGuard(vertx, OutboundPolicy.defaults(), Duration.ofSeconds(30));
        assertEquals("ok", await(get(guard, "loopback.outbound.test")));
        assertEquals(List.of("GET /v1/models Host: loopback.outbound.test:" + server.actualPort()), received);
    }

    @Test
    void loopbackDeniedSendsNothing() throws Exception {
        OutboundGuard guard = new OutboundGuard(vertx, new OutboundPolicy(Access.DENY, Access.ALLOW, Access.DENY,
                Access.DENY, List.of()), Duration.ofSeconds(30));
        for (String host : List.of("loopback.outbound.test", "127.0.0.1", "localhost")) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> await(get(guard, host)));
            OutboundRefusedException refused = assertInstanceOf(OutboundRefusedException.class, failed.getCause());
            assertEquals(AddressCategory.LOOPBACK, refused.category());
        }
        assertTrue(received.isEmpty(), "the server saw no request: " + received);
    }

    @Test
    void aNameThatResolvesToTheMetadataAddressIsRefusedBeforeAnyConnection() {
        OutboundGuard guard = new OutboundGuard(vertx, OutboundPolicy.defaults(), Duration.ofSeconds(30));
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> await(get(guard, "metadata.outbound.test")));
        OutboundRefusedException refused = assertInstanceOf(OutboundRefusedException.class, failed.getCause());
        assertEquals("metadata.outbound.test resolves to 169.254.169.254, a cloud metadata address: refused by the "
                + "outbound URL policy (GATEWAY_OUTBOUND_METADATA=deny)", refused.getMessage());
    }
}
