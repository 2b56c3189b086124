package io.visca.gateway.outbound;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;

/**
 * Applies the {@link OutboundPolicy} where it counts: to the address a connection is opened to. A service asks
 * {@link #server} for the address of a URL's host and hands it to its Vert.x client as the request's server
 * ({@code RequestOptions.setServer}, {@code WebClient.requestAbs(method, server, url)}), keeping the host for the
 * {@code Host} header, TLS SNI and certificate checks. The client then connects to exactly the address that was
 * checked, so a name that resolves elsewhere between the check and the connection (DNS rebinding) gets nowhere, and a
 * refused address is never connected to: the refusal is immediate.
 * <p>
 * Host names are resolved with the JDK's resolver ({@code InetAddress}, its cache and {@code /etc/hosts}, as the
 * services' Vert.x clients resolve) on a worker thread, never on an event loop. A name is refused when any address it
 * resolves to is refused; otherwise its first address is used. Verdicts are kept per host for about {@code reuse}
 * (between one and two periods; the JDK keeps DNS answers 30 s by default): a later call gets the kept verdict at once
 * while a fresh lookup runs in the background, so a busy caller pays one map lookup per request and no clock read
 * (a periodic timer ages the verdicts: reading the clock costs a few hundred ns on some virtual machines). IP literals
 * are judged once, without DNS.
 */
public final class OutboundGuard {

    /** Looks up every address of a host name; may block (called on a worker thread). */
    @FunctionalInterface
    public interface NameService {
        InetAddress[] lookup(String host) throws UnknownHostException;
    }

    private static final System.Logger LOG = System.getLogger(OutboundGuard.class.getName());
    /** Past this many hosts the verdicts are forgotten (endpoints are few; this only bounds memory). */
    private static final int MAX_HOSTS = 4096;

    private final Vertx vertx;
    private final OutboundPolicy policy;
    private final boolean reuse;
    private final NameService names;
    private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();
    private final long timer;
    /** Advanced every reuse period: a verdict of an earlier age is looked up again. */
    private volatile long age;

    /**
     * @param reuse how long a host name's verdict is used before it is looked up again; zero looks every call up
     */
    public OutboundGuard(Vertx vertx, OutboundPolicy policy, Duration reuse) {
        this(vertx, policy, reuse, InetAddress::getAllByName, true);
    }

    /** @param timed whether a timer ages the verdicts every {@code reuse} (tests call {@link #expire()} instead) */
    OutboundGuard(Vertx vertx, OutboundPolicy policy, Duration reuse, NameService names, boolean timed) {
        this.vertx = vertx;
        this.policy = policy;
        this.reuse = reuse.toMillis() > 0;
        this.names = names;
        this.timer = this.reuse && timed ? vertx.setPeriodic(reuse.toMillis(), id -> expire()) : -1;
    }

    /** Stops aging the verdicts: for the service's client, when it closes. */
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Makes every kept verdict of a host name stale: the next call for it starts a lookup in the background. */
    void expire() {
        age = age + 1;
    }

    public OutboundPolicy policy() {
        return policy;
    }

    /**
     * The address to connect to for {@code host} (a name or an IP literal, IPv6 with or without brackets) and
     * {@code port}. Completes at once for an IP literal and for a name with a kept verdict; never blocks.
     *
     * @return fails with {@link OutboundRefusedException} when the policy refuses the address, or with
     *         {@link UnknownHostException} when the name does not resolve
     */
    public Future<SocketAddress> server(String host, int port) {
        Verdict verdict = verdicts.get(host);
        if (verdict != null) {
            if (!verdict.literal && verdict.age != age) {
                refresh(host, verdict);
            }
            return verdict.server(port);
        }
        String bare = bare(host);
        if (isIpLiteral(bare)) {
            Verdict literal = judge(host, new InetAddress[] { literalAddress(bare) }, true);
            remember(host, literal);
            return literal.server(port);
        }
        return lookUp(host).compose(fresh -> fresh.server(port));
    }

    /**
     * The save-time check of a URL's host: an IP literal is judged as it is; a name is looked up now and refused when
     * any of its addresses is refused. A name that does not resolve passes (it is checked again at connect time).
     *
     * @return fails with {@link OutboundRefusedException}
     */
    public Future<Void> check(String host) {
        String bare = bare(host);
        if (isIpLiteral(bare)) {
            OutboundRefusedException refusal = policy.judge(host, literalAddress(bare));
            return refusal == null ? Future.succeededFuture() : Future.failedFuture(refusal);
        }
        return vertx.executeBlocking(() -> names.lookup(bare), false).transform(looked -> {
            if (looked.failed()) {
                return looked.cause() instanceof UnknownHostException ? Future.succeededFuture()
                        : Future.failedFuture(looked.cause());
            }
            Verdict verdict = judge(host, looked.result(), false);
            return verdict.refusal == null ? Future.succeededFuture() : Future.failedFuture(verdict.refusal);
        });
    }

    /** Looks the name up on a worker thread and keeps the verdict (if verdicts are kept); on the caller's context. */
    private Future<Verdict> lookUp(String host) {
        return vertx.executeBlocking(() -> names.lookup(bare(host)), false).map(addresses -> {
            Verdict verdict = judge(host, addresses, false);
            if (reuse) {
                remember(host, verdict);
            }
            return verdict;
        });
    }

    /** A stale verdict: one lookup in the background; meanwhile callers go on with the verdict they have. */
    private void refresh(String host, Verdict stale) {
        if (!stale.refreshing.compareAndSet(false, true)) {
            return;
        }
        vertx.executeBlocking(() -> names.lookup(bare(host)), false).onComplete(looked -> {
            if (looked.succeeded()) {
                remember(host, judge(host, looked.result(), false));
            } else {
                // the name stopped resolving: the next call looks it up again and fails as it should
                verdicts.remove(host, stale);
            }
        });
    }

    private Verdict judge(String host, InetAddress[] addresses, boolean literal) {
        if (addresses.length == 0) {
            throw new IllegalStateException("no address for " + host);
        }
        for (InetAddress address : addresses) {
            OutboundRefusedException refusal = policy.judge(host, address);
            if (refusal != null) {
                return new Verdict(addresses[0], refusal, age, literal);
            }
        }
        return new Verdict(addresses[0], null, age, literal);
    }

    private void remember(String host, Verdict verdict) {
        if (verdicts.size() >= MAX_HOSTS) {
            verdicts.clear();
        }
        Verdict before = verdicts.put(host, verdict);
        if (verdict.refusal != null && (before == null || before.refusal == null)) {
            LOG.log(System.Logger.Level.WARNING, "{0}", verdict.refusal.getMessage());
        }
    }

    private static String bare(String host) {
        return host.length() > 1 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']'
                ? host.substring(1, host.length() - 1)
                : host;
    }

    private static boolean isIpLiteral(String host) {
        return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
    }

    private static InetAddress literalAddress(String ip) {
        try {
            return InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(ip));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + ip, e);
        }
    }

    /** What the policy said about one host, and the address to use when it allowed it. */
    private static final class Verdict {

        final InetAddress address;
        final OutboundRefusedException refusal;
        /** The guard's age when it was made. */
        final long age;
        final boolean literal;
        final AtomicBoolean refreshing = new AtomicBoolean();
        /** The answer for the port asked last (a host nearly always has one): no allocation per call. */
        volatile Answer last;

        Verdict(InetAddress address, OutboundRefusedException refusal, long age, boolean literal) {
            this.address = address;
            this.refusal = refusal;
            this.age = age;
            this.literal = literal;
        }

        Future<SocketAddress> server(int port) {
            Answer answer = last;
            if (answer == null || answer.port != port) {
                answer = new Answer(port, refusal != null ? Future.failedFuture(refusal)
                        : Future.succeededFuture(SocketAddress.inetSocketAddress(new InetSocketAddress(ipOnly(address),
                                port))));
                last = answer;
            }
            return answer.server;
        }
    }

    private record Answer(int port, Future<SocketAddress> server) {
    }

    /**
     * The address without its host name: Vert.x keys its connection pools by the server's host string, so the IP
     * literal makes a changed DNS answer a new pool instead of new connections to the old address.
     */
    private static InetAddress ipOnly(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
