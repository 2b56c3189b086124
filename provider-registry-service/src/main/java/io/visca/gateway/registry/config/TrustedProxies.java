package io.visca.gateway.registry.config;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Forwarded headers ({@code X-Forwarded-Proto}, {@code X-Forwarded-For}, ...) count only when they come from a proxy
 * named in {@code quarkus.http.proxy.trusted-proxies} ({@code REGISTRY_TRUSTED_PROXIES}). With forwarding on and that
 * list empty, Quarkus would believe every client's headers; so this turns {@code proxy-address-forwarding} on exactly
 * when the list names a proxy, and an empty list (the default) trusts none: the dashboard cookie's {@code Secure} and
 * the login throttle's client address then come from the connection itself. An explicit
 * {@code QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING} (environment, system property) still wins.
 */
public class TrustedProxies implements ConfigSourceFactory {

    static final String LIST = "quarkus.http.proxy.trusted-proxies";
    static final String FORWARDING = "quarkus.http.proxy.proxy-address-forwarding";
    /** Above application.properties (250), below the environment (300). */
    static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue list = context.getValue(LIST);
        boolean named = list != null && list.getValue() != null && !list.getValue().isBlank();
        return List.of(new PropertiesConfigSource(Map.of(FORWARDING, Boolean.toString(named)),
                "registry trusted proxies", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
