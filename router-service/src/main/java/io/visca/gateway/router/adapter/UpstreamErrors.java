package io.visca.gateway.router.adapter;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import io.vertx.core.MultiMap;
import io.vertx.core.VertxException;
import io.visca.gateway.outbound.OutboundRefusedException;
import io.visca.gateway.outbound.UpstreamExcerpt;
import io.visca.gateway.router.error.Failure;
import io.visca.gateway.router.error.GatewayError;

/**
 * Names the {@link Failure} an upstream failure is (its HTTP status, the exception of a call that got no answer,
 * what an adapter found wrong) and says it in words; {@link Failure} decides what it means for routing. Adapters only extract
 * the provider's own message from its error body; it is
 * repeated only as a short sanitized excerpt ({@link UpstreamExcerpt}: one line, at most 200 characters, marked
 * {@code upstream said "..."}), never a body. When
 * upstream details are hidden ({@code ROUTER_EXPOSE_UPSTREAM_DETAILS=false}) messages name the endpoint by its label
 * and quote nothing the upstream said.
 */
public final class UpstreamErrors {

    private static final Logger LOG = Logger.getLogger(UpstreamErrors.class);

    private UpstreamErrors() {
    }

    /**
     * @param status the upstream's HTTP status (outside 2xx)
     * @param upstreamMessage the provider's own error message, or null
     * @param overloaded the provider said it is overloaded (Anthropic 529, TGI {@code overloaded}): worth another try,
     *        but not the client's rate limit
     */
    public static GatewayError fromStatus(UpstreamCall call, int status, MultiMap headers, String upstreamMessage,
            boolean overloaded) {
        String where = where(call);
        String detail = detail(call, upstreamMessage);
        if (overloaded) {
            return new GatewayError(Failure.UPSTREAM_OVERLOADED,
                    where + " is overloaded (HTTP " + status + ")" + detail, retryAfter(headers));
        }
        return switch (status) {
            case 400, 422 -> new GatewayError(Failure.UPSTREAM_REJECTED_REQUEST,
                    where + " rejected the request (HTTP " + status + ")" + detail);
            case 413 -> new GatewayError(Failure.REQUEST_TOO_LARGE,
                    where + " says the request is too large (HTTP 413)" + detail);
            case 401, 403 -> new GatewayError(Failure.UPSTREAM_AUTH_REJECTED,
                    where + " rejected the gateway's credentials (HTTP " + status + ")" + detail);
            case 404 -> new GatewayError(Failure.UPSTREAM_NOT_FOUND,
                    where + " answered HTTP 404 for model '" + call.model().upstreamId() + "'" + detail);
            case 429 -> new GatewayError(Failure.RATE_LIMIT_EXCEEDED,
                    where + " is rate limiting the gateway (HTTP 429)" + detail, Math.max(1, retryAfter(headers)));
            case 408, 504 -> new GatewayError(Failure.UPSTREAM_TIMEOUT, where + " timed out (HTTP " + status + ")" + detail);
            default -> new GatewayError(status >= 500 ? Failure.UPSTREAM_SERVER_ERROR : Failure.UPSTREAM_HTTP_STATUS,
                    "upstream_http_" + status, null, where + " failed with HTTP " + status + detail, 0);
        };
    }

    /** A failure to get an answer at all: refused, reset, DNS, timeouts. */
    public static GatewayError fromException(UpstreamCall call, Throwable failure) {
        if (failure instanceof GatewayError gatewayError) {
            return gatewayError;
        }
        if (failure instanceof OutboundRefusedException refused) {
            return refused(call, refused);
        }
        String where = where(call);
        if (isTimeout(failure)) {
            return new GatewayError(Failure.UPSTREAM_TIMEOUT,
                    where + " did not answer in time (connect " + call.timeouts().connectMs() + " ms, first byte "
                            + call.timeouts().firstByteMs() + " ms)");
        }
        if (failure instanceof UnknownHostException) {
            return new GatewayError(Failure.UPSTREAM_UNREACHABLE,
                    where + " is unreachable: its host name does not resolve");
        }
        if (failure instanceof ConnectException) {
            return new GatewayError(Failure.UPSTREAM_UNREACHABLE, where + " is unreachable: connection refused");
        }
        if (failure instanceof javax.net.ssl.SSLException) {
            return new GatewayError(Failure.UPSTREAM_TLS_ERROR, where + " failed the TLS handshake");
        }
        if (failure instanceof ClosedChannelException || failure instanceof VertxException
                || failure instanceof java.io.IOException) {
            return new GatewayError(Failure.UPSTREAM_CONNECTION_CLOSED,
                    where + " closed the connection before the answer was complete");
        }
        return new GatewayError(Failure.UPSTREAM_ERROR, where + " failed" + (call.provider().exposeUpstreamDetails()
                ? ": " + failure.getClass().getSimpleName()
                : ""));
    }

    /**
     * A failure the upstream reported without an HTTP error status: a failed prediction, an error event inside a
     * stream that started fine. Worth another attempt elsewhere.
     */
    public static GatewayError failed(UpstreamCall call, String upstreamMessage, boolean overloaded) {
        return new GatewayError(overloaded ? Failure.UPSTREAM_OVERLOADED : Failure.UPSTREAM_FAILED,
                where(call) + (overloaded ? " is overloaded" : " failed") + detail(call, upstreamMessage));
    }

    /**
     * As {@link #failed(UpstreamCall, String, boolean)}, saying what failed in the gateway's words (e.g. {@code the
     * prediction failed}) apart from the upstream's.
     */
    public static GatewayError failed(UpstreamCall call, String what, String upstreamMessage) {
        return new GatewayError(Failure.UPSTREAM_FAILED, where(call) + ": " + what + detail(call, upstreamMessage));
    }

    /**
     * The outbound URL policy refused where the call would go: not worth another try on this provider, but the next
     * candidate may do (as for a misconfigured provider). The client learns the category and the rule, not the
     * address.
     */
    public static GatewayError refused(UpstreamCall call, OutboundRefusedException refused) {
        return new GatewayError(Failure.ENDPOINT_REFUSED, where(call) + " was not called: " + refused.withoutAddress());
    }

    /**
     * A {@code custom} provider's jq transform failed at run time. The message says which one, never the data (jq's
     * own messages quote it).
     */
    public static GatewayError transformFailed(UpstreamCall call, String which, String why) {
        return new GatewayError(Failure.TRANSFORM_FAILED, where(call) + ": its jq " + which + " transform " + why);
    }

    /**
     * The upstream handed back a URL to call next (Replicate's {@code urls.get}) that is not on the endpoint's origin:
     * nothing is sent there. Not worth another try on this provider; the next candidate may do.
     *
     * @param host the URL's host (only the host is repeated, cleaned), null when it is not an http(s) URL
     */
    public static GatewayError foreignUrl(UpstreamCall call, String field, String host) {
        String where = host == null ? "a URL that is not http(s)"
                : "host " + UpstreamExcerpt.clean(host, 100);
        return new GatewayError(Failure.FOREIGN_URL, where(call) + " handed back a " + field + " on " + where
                + ", not on the endpoint's own origin: the gateway does not follow it");
    }

    /** A custom provider's jq transform reached one of the router's bounds ({@code router.jq.*}). */
    public static GatewayError transformBound(UpstreamCall call, String which, String bound) {
        return new GatewayError(Failure.TRANSFORM_BOUND_EXCEEDED, where(call) + ": its jq " + which + " transform "
                + bound + " (router.jq.*)");
    }

    /** Too many heavy jq transforms wait for the router's jq workers. */
    public static GatewayError transformBusy(UpstreamCall call) {
        return new GatewayError(Failure.TRANSFORM_BUSY, where(call)
                + ": too many jq transforms are waiting for a worker (router.jq.workers, router.jq.max-queued)", 1);
    }

    /**
     * An upstream stream sent a line or an event longer than {@code router.upstream.max-event-bytes}: the stream is
     * ended (logged here, counted with the request's error code).
     */
    public static GatewayError eventTooLarge(UpstreamCall call, int maxBytes) {
        LOG.warnf("request %s: %s sent a stream line or event over %d bytes; the stream is ended", call.requestId(),
                where(call), maxBytes);
        return new GatewayError(Failure.UPSTREAM_EVENT_TOO_LARGE, where(call) + " sent a stream line or event larger than "
                + maxBytes + " bytes (router.upstream.max-event-bytes)");
    }

    /** An upstream answer this provider type never sends (not JSON, fields missing). */
    public static GatewayError malformed(UpstreamCall call, String what) {
        return new GatewayError(Failure.UPSTREAM_BAD_RESPONSE,
                where(call) + " sent a response the gateway cannot read: " + what);
    }

    /** The operation is not one this provider type offers. */
    public static GatewayError unsupported(String provider, String type, Operation operation) {
        return GatewayError.badRequest("Provider '" + provider + "' (type " + type + ") does not support "
                + operation.label() + ".", "model", "unsupported_operation");
    }

    /** {@code Provider 'name' (endpoint label)}: the label is the endpoint's id, or when details are hidden #n. */
    public static String where(UpstreamCall call) {
        return "Provider '" + call.provider().name() + "' (endpoint " + call.provider().endpointLabel(call.endpoint())
                + ")";
    }

    /** What the upstream said, as a short sanitized excerpt; nothing when upstream details are hidden. */
    private static String detail(UpstreamCall call, String upstreamMessage) {
        if (upstreamMessage == null || upstreamMessage.isBlank() || !call.provider().exposeUpstreamDetails()) {
            return "";
        }
        String quoted = UpstreamExcerpt.quote("upstream", upstreamMessage);
        return quoted.isEmpty() ? "" : ": " + quoted;
    }

    static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    private static long retryAfter(MultiMap headers) {
        String value = headers == null ? null : headers.get("retry-after");
        if (value == null) {
            return 0;
        }
        try {
            return (long) Math.ceil(Double.parseDouble(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
