package io.visca.gateway.outbound;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a health check goes: a provider's {@code health_check.endpoint} resolved against each endpoint's base URL the
 * way a browser resolves a link (RFC 3986 §5.2), so the product page's {@code "endpoint": "/health"} with
 * {@code base_url} {@code https://h:8000/v1} probes {@code https://h:8000/health}, where vLLM and TGI serve it:
 * <ul>
 * <li>a path that starts with {@code /} resolves against the base URL's origin: {@code /health} →
 * {@code https://h:8000/health};</li>
 * <li>any other path ({@code models}, {@code ./health}, {@code ../health}) resolves against the base URL taken as a
 * directory, whether or not it ends with a slash: {@code https://h:8000/v1} + {@code models} →
 * {@code https://h:8000/v1/models};</li>
 * <li>{@code .} and {@code ..} segments are removed, never above the origin's root; a query is kept as written.</li>
 * </ul>
 * A health check carries the provider's credentials, so it never leaves the endpoint's origin: an absolute URL
 * ({@code https://...}), a network-path reference ({@code //host/...}) and a fragment are refused ({@link #problem}),
 * by the registry when a provider is saved and by every caller of {@link #resolve}. One rule for the health
 * monitor's probes, the registry's Test Connection and every type's default path ({@link HealthProbe}).
 */
public final class HealthCheckUrls {

    /** The longest {@code health_check.endpoint} the registry stores. */
    public static final int MAX_LENGTH = 2048;

    /** RFC 3986 §3.1: a scheme, then {@code :}, before any {@code /}, {@code ?} or {@code #}. */
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*", Pattern.DOTALL);

    private HealthCheckUrls() {
    }

    /**
     * Why {@code endpoint} cannot be a health check path, in words that follow the field's name (e.g.
     * {@code health_check.endpoint: must be a path, not a URL ...}); null when it can.
     */
    public static String problem(String endpoint) {
        if (endpoint == null) {
            return null;
        }
        if (endpoint.isEmpty()) {
            return "must not be empty: leave it out for the type's default probe";
        }
        if (endpoint.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        if (endpoint.chars().anyMatch(c -> c <= ' ' || c == 0x7F || c == '\\')) {
            return "must be a path without spaces, control characters or backslashes";
        }
        if (endpoint.startsWith("//")) {
            return "must not start with '//', which names another host: a health check goes to each endpoint's own "
                    + "host ('/health' from its root, 'health' under its base URL)";
        }
        if (SCHEME.matcher(endpoint).matches()) {
            return "must be a path, not a URL: a health check goes to each endpoint's own host with the provider's "
                    + "credentials ('/health' from its root, 'health' under its base URL; a relative path with a "
                    + "colon in its first segment needs './' before it)";
        }
        if (endpoint.indexOf('#') >= 0) {
            return "must not have a fragment ('#'), which is never sent";
        }
        try {
            new URI(endpoint);
        } catch (URISyntaxException e) {
            return "is not a valid path (" + e.getReason() + " at index " + e.getIndex() + ")";
        }
        return null;
    }

    /**
     * The URL a health check of {@code endpoint} GETs on the endpoint at {@code baseUrl}.
     *
     * @param baseUrl an absolute http(s) URL without query or fragment (as the registry stores base URLs), with or
     *        without a trailing slash
     * @param endpoint a path {@link #problem} accepts
     * @throws IllegalArgumentException with the {@link #problem}, when {@code endpoint} is not a path or
     *         {@code baseUrl} is not absolute
     */
    public static String resolve(String baseUrl, String endpoint) {
        String problem = endpoint == null ? "must not be null" : problem(endpoint);
        if (problem != null) {
            throw new IllegalArgumentException("health_check.endpoint " + problem);
        }
        int schemeEnd = baseUrl == null ? -1 : baseUrl.indexOf("://");
        if (schemeEnd <= 0) {
            throw new IllegalArgumentException("the base URL is not absolute");
        }
        int pathStart = firstOf(baseUrl, schemeEnd + 3, "/?#");
        int pathEnd = firstOf(baseUrl, pathStart, "?#");
        String origin = baseUrl.substring(0, pathStart);
        String basePath = baseUrl.substring(pathStart, pathEnd);
        int queryStart = endpoint.indexOf('?');
        String path = queryStart < 0 ? endpoint : endpoint.substring(0, queryStart);
        String query = queryStart < 0 ? "" : endpoint.substring(queryStart);
        String merged = path.startsWith("/") ? path : directory(basePath) + path;
        return origin + removeDotSegments(merged) + query;
    }

    /** The base path as a directory: {@code /v1} and {@code /v1/} are {@code /v1/}, an empty path is {@code /}. */
    private static String directory(String basePath) {
        return basePath.endsWith("/") ? basePath : basePath + "/";
    }

    /** RFC 3986 §5.2.4 on a path that starts with {@code /}: {@code ..} never climbs above the root. */
    static String removeDotSegments(String path) {
        String[] segments = path.substring(1).split("/", -1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals(".") || segment.equals("..")) {
                if (segment.equals("..") && !out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                if (last) {
                    out.add("");
                }
            } else {
                out.add(segment);
            }
        }
        return "/" + String.join("/", out);
    }

    private static int firstOf(String value, int from, String chars) {
        for (int i = from; i < value.length(); i++) {
            if (chars.indexOf(value.charAt(i)) >= 0) {
                return i;
            }
        }
        return value.length();
    }
}
