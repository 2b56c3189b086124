package io.visca.gateway.kit.outbound;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.visca.gateway.outbound.OutboundPolicy;

/**
 * The group {@code outbound} of the registry's, router's and health monitor's configuration mappings
 * ({@code registry.outbound.*}, {@code router.outbound.*}, {@code health.outbound.*}): the outbound URL policy every
 * call to a provider obeys (gateway-upstream-auth's {@link OutboundPolicy}), set by the same {@code GATEWAY_OUTBOUND_*}
 * variables in every service, {@code allow} or {@code deny}. Each service maps them onto its own prefix in its
 * application.properties.
 */
public interface OutboundConfig {

    /** {@code GATEWAY_OUTBOUND_LOOPBACK}: 127.0.0.0/8, ::1. */
    @WithDefault("allow")
    OutboundPolicy.Access loopback();

    /** {@code GATEWAY_OUTBOUND_PRIVATE}: 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7. */
    @WithName("private")
    @WithDefault("allow")
    OutboundPolicy.Access privateNetworks();

    /** {@code GATEWAY_OUTBOUND_LINK_LOCAL}: 169.254/16, fe80::/10 (cloud metadata addresses excepted). */
    @WithDefault("deny")
    OutboundPolicy.Access linkLocal();

    /** {@code GATEWAY_OUTBOUND_METADATA}: the cloud metadata addresses, e.g. 169.254.169.254. */
    @WithDefault("deny")
    OutboundPolicy.Access metadata();

    /** {@code GATEWAY_OUTBOUND_DENY_CIDRS}: address blocks refused whatever their category, comma-separated. */
    Optional<List<String>> denyCidrs();

    /** The policy these settings make. */
    default OutboundPolicy policy() {
        return new OutboundPolicy(loopback(), privateNetworks(), linkLocal(), metadata(), denyCidrs().orElse(List.of()));
    }
}
