package io.visca.gateway.registry.provider.advice;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

import io.netty.util.NetUtil;
import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.outbound.AddressCategory;
import io.visca.gateway.outbound.OutboundPolicy;
import io.visca.gateway.registry.provider.mapping.ProviderDocument;

/**
 * The product page's "Use HTTPS for all custom endpoints", as advice: a URL a provider sends requests to (an endpoint's
 * {@code base_url}, {@code auth.token_url}) that is plain {@code http://} to a host that is neither loopback nor on a
 * private network gets a warning, never an error (a gateway inside a VPN may have good reasons).
 * <p>
 * Decided from the URL as written, without DNS (this runs on the event loop, and a name's answer can change): an IP
 * literal by its address ({@link OutboundPolicy#categorize}: only a public address is warned about; loopback, private,
 * carrier-grade NAT, unique-local and link-local are local), a host name by {@link #localName its name}.
 */
public final class PlainHttpAdvice {

    /** Name suffixes that stay inside a site: RFC 6761, mDNS, ICANN's private-use TLD, RFC 8375, Kubernetes. */
    static final List<String> LOCAL_SUFFIXES = List.of(".localhost", ".local", ".internal", ".lan", ".home.arpa",
            ".localdomain", ".svc");

    private PlainHttpAdvice() {
    }

    /** Warnings for a document being saved, by the fields its body used ({@code base_url} for the shorthand). */
    public static List<FieldWarning> of(ProviderDocument document) {
        return of(document.config(), document::baseUrlField);
    }

    /** Warnings for a stored config (Test Connection): {@code endpoints[i].base_url}, {@code auth.token_url}. */
    public static List<FieldWarning> of(ProviderConfig config) {
        return of(config, i -> "endpoints[" + i + "].base_url");
    }

    private static List<FieldWarning> of(ProviderConfig config, IntFunction<String> baseUrlField) {
        List<FieldWarning> warnings = new ArrayList<>();
        AuthConfig auth = config.auth();
        boolean credentials = auth != null && !AuthConfig.NONE.equals(auth.authType());
        if (config.endpoints() != null) {
            for (int i = 0; i < config.endpoints().size(); i++) {
                String url = config.endpoints().get(i).baseUrl();
                if (isPlainHttpToRemoteHost(url)) {
                    warnings.add(new FieldWarning(baseUrlField.apply(i), message(url, credentials
                            ? "prompts, answers and the provider's credentials"
                            : "prompts and answers")));
                }
            }
        }
        if (auth != null && isPlainHttpToRemoteHost(auth.tokenUrl())) {
            warnings.add(new FieldWarning("auth.token_url", message(auth.tokenUrl(), "the client secret and the "
                    + "access tokens")));
        }
        return warnings;
    }

    private static String message(String url, String what) {
        return "plain http:// to " + URI.create(url).getHost() + ", which is not on loopback or a private network by "
                + "its address or name: " + what + " cross the network unencrypted; use https:// (saved anyway: this "
                + "is advice, not an error)";
    }

    /** Whether {@code url} is {@code http://} to a host that is neither loopback nor private (by address or name). */
    public static boolean isPlainHttpToRemoteHost(String url) {
        if (url == null) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            return false;
        }
        return !isLocal(uri.getHost());
    }

    /** Whether a URI host (a name, an IPv4 literal or a bracketed IPv6 literal) is local, decided without DNS. */
    static boolean isLocal(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(bare);
        if (literal != null) {
            try {
                return OutboundPolicy.categorize(InetAddress.getByAddress(literal)) != AddressCategory.PUBLIC;
            } catch (UnknownHostException e) {
                return false; // not reached: the bytes are 4 or 16 long
            }
        }
        return localName(bare);
    }

    /**
     * Whether a host name names a machine on this host or site: {@code localhost}, a single label (a compose service
     * or a short Kubernetes name such as {@code vllm}), or a name under {@link #LOCAL_SUFFIXES}. Everything else is
     * taken as public: a name the public DNS answers with a private address still gets the advice, which costs a
     * warning, not a refusal.
     */
    static boolean localName(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        while (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.equals("localhost") || !name.contains(".")) {
            return true;
        }
        for (String suffix : LOCAL_SUFFIXES) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }
}
