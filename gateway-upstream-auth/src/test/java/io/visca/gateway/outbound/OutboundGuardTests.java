package io.visca.gateway.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.visca.gateway.outbound.OutboundPolicy.Access;

/** {@link OutboundGuard}: judged before any connection, names looked up off the event loop, verdicts kept. */
class OutboundGuardTests {

    private static final Duration REUSE = Duration.ofSeconds(30);

    private final Vertx vertx = Vertx.vertx();
    private final Map<String, String[]> dns = new ConcurrentHashMap<>();
    private final List<String> lookups = new CopyOnWriteArrayList<>();
    private final List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private OutboundGuard guard(OutboundPolicy policy, Duration reuse) {
        return new OutboundGuard(vertx, policy, reuse, host -> {
            lookups.add(host);
            onEventLoop.add(Context.isOnEventLoopThread());
            String[] ips = dns.get(host);
            if (ips == null) {
                throw new UnknownHostException(host);
            }
            InetAddress[] addresses = new InetAddress[ips.length];
            for (int i = 0; i < ips.length; i++) {
                addresses[i] = InetAddress.getByAddress(host, InetAddress.getByName(ips[i]).getAddress());
            }
            return addresses;
        }, false);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Throwable failure(Future<?> future) throws Exception {
        try {
            await(future);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void aRefusedLiteralFailsAtOnceWithoutALookup() {
        OutboundGuard guard = guard(OutboundPolicy.defaults(), REUSE);
        for (String host : List.of("169.254.169.254", "[fe80::1]", "::ffff:169.254.169.254", "0.0.0.0")) {
            Future<SocketAddress> server = guard.server(host, 80);
            assertTrue(server.failed(), host + " is judged before anything else happens");
            assertInstanceOf(OutboundRefusedException.class, server.cause());
        }
        assertTrue(lookups.isEmpty(), "literals need no DNS");
    }

    @Test
    void anAllowedLiteralIsTheAddressToConnectTo() {
        Future<SocketAddress> server = guard(OutboundPolicy.defaults(), REUSE).server("[::1]", 8443);
        assertTrue(server.succeeded());
        assertEquals("0:0:0:0:0:0:0:1", server.result().hostAddress());
        assertEquals(8443, server.result().port());
    }

    @Test
    void aNameIsRefusedWhenAnyOfItsAddressesIsRefused() throws Exception {
        dns.put("mixed.example", new String[] { "93.184.216.34", "169.254.169.254" });
        dns.put("public.example", new String[] { "93.184.216.34", "2606:2800:220:1::1" });
        OutboundGuard guard = guard(OutboundPolicy.defaults(), REUSE);
        OutboundRefusedException refused = (OutboundRefusedException) failure(guard.server("mixed.example", 443));
        assertEquals("mixed.example resolves to 169.254.169.254, a cloud metadata address: refused by the outbound "
                + "URL policy (GATEWAY_OUTBOUND_METADATA=deny)", refused.getMessage());
        SocketAddress server = await(guard.server("public.example", 443));
        assertEquals("93.184.216.34", server.hostAddress(), "the first address, the one that was checked");
        assertEquals("93.184.216.34", server.host(), "the IP, not the name: pools follow a changed DNS answer");
        assertEquals(443, server.port());
    }

    @Test
    void namesAreLookedUpOnAWorkerAndTheAnswerComesBackOnTheCallersEventLoop() throws Exception {
        dns.put("api.example", new String[] { "93.184.216.34" });
        OutboundGuard guard = guard(OutboundPolicy.defaults(), REUSE);
        Context context = vertx.getOrCreateContext();
        Promise<Boolean> backOnLoop = Promise.promise();
        context.runOnContext(v -> guard.server("api.example", 443)
                .onComplete(done -> backOnLoop.complete(done.succeeded() && Vertx.currentContext() == context)));
        assertTrue(await(backOnLoop.future()));
        assertEquals(List.of(false), onEventLoop, "DNS never runs on an event loop");
    }

    @Test
    void aVerdictIsKeptAndRefreshedInTheBackgroundAfterItsReuseTime() throws Exception {
        dns.put("rebinding.example", new String[] { "93.184.216.34" });
        OutboundGuard guard = guard(OutboundPolicy.defaults(), REUSE);
        await(guard.server("rebinding.example", 443));
        Future<SocketAddress> kept = guard.server("rebinding.example", 443);
        assertTrue(kept.succeeded(), "a kept verdict completes at once");
        assertEquals(1, lookups.size());

        dns.put("rebinding.example", new String[] { "169.254.169.254" });
        guard.expire();
        Future<SocketAddress> stale = guard.server("rebinding.example", 443);
        assertTrue(stale.succeeded(), "the kept (checked) address serves while the name is looked up again");
        assertEquals("93.184.216.34", stale.result().hostAddress());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Future<SocketAddress> next;
        do {
            Thread.sleep(10);
            next = guard.server("rebinding.example", 443);
        } while (next.succeeded() && System.nanoTime() < deadline);
        assertInstanceOf(OutboundRefusedException.class, next.cause(), "the new answer is judged as well");
        assertEquals(2, lookups.size(), "one background lookup");
    }

    @Test
    void withoutReuseEveryCallLooksTheNameUp() throws Exception {
        dns.put("api.example", new String[] { "93.184.216.34" });
        OutboundGuard guard = guard(OutboundPolicy.defaults(), Duration.ZERO);
        await(guard.server("api.example", 443));
        await(guard.server("api.example", 443));
        assertEquals(2, lookups.size());
    }

    @Test
    void aNameThatDoesNotResolveFailsTheCallButPassesTheSaveTimeCheck() throws Exception {
        OutboundGuard guard = guard(OutboundPolicy.defaults(), REUSE);
        assertInstanceOf(UnknownHostException.class, failure(guard.server("nowhere.example", 443)));
        await(guard.check("nowhere.example"));
    }

    @Test
    void theSaveTimeCheckJudgesEveryAddressOfANameAndLiterals() throws Exception {
        dns.put("private.example", new String[] { "10.1.2.3" });
        dns.put("mixed.example", new String[] { "10.1.2.3", "fe80::1" });
        OutboundGuard lenient = guard(OutboundPolicy.defaults(), REUSE);
        await(lenient.check("private.example"));
        assertInstanceOf(OutboundRefusedException.class, failure(lenient.check("mixed.example")));
        assertInstanceOf(OutboundRefusedException.class, failure(lenient.check("[fd00:ec2::254]")));
        OutboundGuard strict = guard(new OutboundPolicy(Access.DENY, Access.DENY, Access.DENY, Access.DENY,
                List.of()), REUSE);
        OutboundRefusedException refused = (OutboundRefusedException) failure(strict.check("private.example"));
        assertEquals("GATEWAY_OUTBOUND_PRIVATE=deny", refused.rule());
        assertFalse(lookups.isEmpty());
        assertNotNull(refused.getMessage());
    }

    @Test
    void manyCallersOfAKeptVerdictShareOneAnswer() throws Exception {
        dns.put("api.example", new String[] { "93.184.216.34" });
        OutboundGuard guard = guard(OutboundPolicy.defaults(), REUSE);
        await(guard.server("api.example", 443));
        AtomicInteger same = new AtomicInteger();
        Future<SocketAddress> first = guard.server("api.example", 443);
        for (int i = 0; i < 100; i++) {
            if (guard.server("api.example", 443) == first) {
                same.incrementAndGet();
            }
        }
        assertEquals(100, same.get(), "no allocation per call on the hot path");
    }
}
