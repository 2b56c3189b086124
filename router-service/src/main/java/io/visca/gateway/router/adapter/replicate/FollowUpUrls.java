package io.visca.gateway.router.adapter.replicate;

import java.util.List;
import java.util.Locale;

import io.vertx.core.http.RequestOptions;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.adapter.UpstreamErrors;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.upstream.UpstreamClient;

/**
 * Where the URLs an upstream hands back (Replicate's {@code urls.get}, {@code urls.stream}) may take a call: the
 * endpoint's own origin (scheme, host and port), where the provider's credentials go too, and for streams a few
 * hosts of the provider's own ({@code router.replicate.stream-hosts}), over {@code https} and without credentials.
 * URLs are read by {@link UpstreamClient#target}, the same reading the call is then sent with.
 */
final class FollowUpUrls {

    /** Replicate's own stream hosts: the default of {@code router.replicate.stream-hosts}. */
    static final List<String> REPLICATE_STREAM_HOSTS = List.of("stream.replicate.com", "*.replicate.net");

    /** Lower case; {@code *.x} for the subdomains of x. */
    private final List<String> streamHosts;

    /** @param streamHosts host names, {@code *.x} for the subdomains of x; {@code none} or empty entries are ignored */
    FollowUpUrls(List<String> streamHosts) {
        this.streamHosts = streamHosts.stream().map(host -> host.trim().toLowerCase(Locale.ROOT))
                .filter(host -> !host.isEmpty() && !host.equals("none")).toList();
    }

    /** Whether {@code url} has the scheme, host and port of {@code baseUrl}. */
    static boolean sameOrigin(String url, String baseUrl) {
        RequestOptions target = origin(url);
        RequestOptions base = origin(baseUrl);
        return target != null && base != null && target.isSsl().equals(base.isSsl())
                && target.getPort().equals(base.getPort()) && target.getHost().equalsIgnoreCase(base.getHost());
    }

    /** An {@code https} URL on the default port whose host is one of the stream hosts. */
    boolean isStreamHost(String url) {
        RequestOptions target = origin(url);
        if (target == null || !target.isSsl() || target.getPort() != 443) {
            return false;
        }
        String host = target.getHost().toLowerCase(Locale.ROOT);
        for (String allowed : streamHosts) {
            if (allowed.startsWith("*.") ? host.endsWith(allowed.substring(1)) : host.equals(allowed)) {
                return true;
            }
        }
        return false;
    }

    /** The upstream handed back {@code field} off its origin: the attempt fails and nothing is sent there. */
    static GatewayError foreign(UpstreamCall call, String field, String url) {
        RequestOptions target = origin(url);
        return UpstreamErrors.foreignUrl(call, field, target == null ? null : target.getHost());
    }

    private static RequestOptions origin(String url) {
        try {
            return UpstreamClient.target(url);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
