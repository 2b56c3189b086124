package io.visca.gateway.health.probe;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;

import javax.net.ssl.SSLException;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.resolver.dns.DnsNameResolverException;
import io.vertx.core.http.HttpClosedException;
import io.visca.gateway.health.upstream.ProbeFailure;
import io.visca.gateway.outbound.OutboundRefusedException;
import io.visca.gateway.outbound.UpstreamExcerpt;

/**
 * Names what went wrong with a probe that got no HTTP answer: the outbound URL policy refused the address, DNS,
 * connection refused, TLS, timeout, ... Exception messages are repeated only as short cleaned excerpts.
 */
public final class ProbeFailures {

    private static final int MAX_DETAIL = 200;

    private ProbeFailures() {
    }

    /**
     * @param call what was attempted, e.g. {@code GET /v1/models}
     */
    public static String reason(Throwable failure, String call) {
        if (failure instanceof ProbeFailure probe) {
            return probe.getMessage();
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutboundRefusedException refused) {
                return call + ": not sent: " + refused.getMessage();
            }
            if (t instanceof UnknownHostException || t instanceof DnsNameResolverException) {
                return call + ": DNS: the host name does not resolve (" + detail(t) + ")";
            }
            if (t instanceof ConnectTimeoutException) {
                return call + ": timeout: no connection within the timeout (" + detail(t) + ")";
            }
            if (t instanceof java.util.concurrent.TimeoutException
                    || t instanceof io.netty.handler.timeout.TimeoutException) {
                return call + ": timeout: no answer within the timeout";
            }
            if (t instanceof SSLException || (t instanceof DecoderException && t.getCause() instanceof SSLException)) {
                return call + ": TLS handshake failed (" + detail(t instanceof SSLException ? t : t.getCause()) + ")";
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return call + ": connection refused (" + detail(t) + ")";
            }
            if (t instanceof HttpClosedException) {
                return call + ": the connection was closed before the answer ended";
            }
        }
        return call + ": network error (" + detail(failure) + ")";
    }

    private static String detail(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        return UpstreamExcerpt.clean(newline < 0 ? message : message.substring(0, newline), MAX_DETAIL);
    }
}
