package io.visca.gateway.registry.provider.mapping;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import io.visca.gateway.registry.json.Violations;

/** What the registry accepts as a base URL (or token URL), and the default endpoint id derived from it. */
final class UrlRules {

    private UrlRules() {
    }

    /**
     * @return the URL without trailing slashes, or null (after adding a violation) when it is not an absolute
     *         http(s) URL with a host and without credentials, query or fragment
     */
    static String httpUrl(String value, String field, Violations violations) {
        if (value == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            violations.add(field, "is not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")");
            return null;
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            violations.add(field, "must be an absolute http:// or https:// URL");
            return null;
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            violations.add(field, "must name a host (e.g. https://api.example.com/v1)");
            return null;
        }
        if (uri.getRawUserInfo() != null) {
            violations.add(field, "must not contain credentials; put them in auth");
            return null;
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            violations.add(field, "must not have a query or a fragment");
            return null;
        }
        String normalized = value;
        while (normalized.endsWith("/")) {
            normalized = normalized.substring(0, normalized.length() - 1);
        }
        return normalized;
    }

    /** {@code host[:port]} of a URL that passed {@link #httpUrl}: the default id of its endpoint. */
    static String hostAndPort(String url) {
        URI uri = URI.create(url);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return uri.getPort() < 0 ? host : host + ":" + uri.getPort();
    }
}
