package io.visca.gateway.registry.provider.client;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;

import javax.net.ssl.SSLException;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.resolver.dns.DnsNameResolverException;
import io.visca.gateway.outbound.OutboundRefusedException;
import io.visca.gateway.outbound.UpstreamExcerpt;

/** Sorts what went wrong with an upstream call into the reasons "Test Connection" reports. */
public final class FailureClassifier {

    private static final int MAX_DETAIL = UpstreamExcerpt.MAX_CHARS;

    private FailureClassifier() {
    }

    /**
     * @param call what was attempted, e.g. {@code GET /models}
     */
    public static ProbeFailure classify(Throwable failure, String call) {
        if (failure instanceof ProbeFailure probe) {
            return probe;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutboundRefusedException refused) {
                return new ProbeFailure(ProbeFailure.REFUSED_BY_POLICY, null, call + ": not sent: "
                        + refused.getMessage());
            }
            if (t instanceof UnknownHostException || t instanceof DnsNameResolverException) {
                return new ProbeFailure(ProbeFailure.DNS, null, call + ": the host name does not resolve ("
                        + message(t) + ")");
            }
            if (t instanceof ConnectTimeoutException || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof io.smallrye.mutiny.TimeoutException
                    || t instanceof io.netty.handler.timeout.TimeoutException) {
                return new ProbeFailure(ProbeFailure.TIMEOUT, null, call + ": no answer in time (" + message(t)
                        + ")");
            }
            if (t instanceof SSLException || (t instanceof DecoderException && t.getCause() instanceof SSLException)) {
                return new ProbeFailure(ProbeFailure.TLS, null, call + ": TLS handshake failed (" + message(t) + ")");
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return new ProbeFailure(ProbeFailure.REFUSED, null, call + ": connection refused (" + message(t)
                        + ")");
            }
        }
        return new ProbeFailure(ProbeFailure.NETWORK, null, call + ": " + message(failure));
    }

    /** A non-2xx answer: {@code auth} for 401 and 403, {@code http_error} otherwise. */
    public static ProbeFailure forStatus(int status, String call) {
        if (status == 401 || status == 403) {
            return new ProbeFailure(ProbeFailure.AUTH, status, call + " answered HTTP " + status
                    + ": the endpoint rejected the credentials");
        }
        return new ProbeFailure(ProbeFailure.HTTP_ERROR, status, call + " answered HTTP " + status);
    }

    public static ProbeFailure unexpectedBody(int status, String call, String what) {
        return new ProbeFailure(ProbeFailure.UNEXPECTED_BODY, status, call + " answered HTTP " + status
                + " but not as expected: " + UpstreamExcerpt.clean(what, 2 * UpstreamExcerpt.MAX_CHARS));
    }

    private static String message(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        return UpstreamExcerpt.clean(newline < 0 ? message : message.substring(0, newline), MAX_DETAIL);
    }
}
