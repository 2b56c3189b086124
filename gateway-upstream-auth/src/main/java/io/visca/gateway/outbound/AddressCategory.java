package io.visca.gateway.outbound;

/**
 * What kind of address an upstream call would go to, as {@link OutboundPolicy} sorts it. An IPv6 address that embeds
 * an IPv4 one (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo) has the category of the IPv4 address inside.
 */
public enum AddressCategory {

    /** Anything not listed below: the internet. Always allowed (unless in {@code GATEWAY_OUTBOUND_DENY_CIDRS}). */
    PUBLIC("a public address"),
    /** 127.0.0.0/8, ::1. Allowed unless {@code GATEWAY_OUTBOUND_LOOPBACK=deny}. */
    LOOPBACK("a loopback address"),
    /**
     * 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 (carrier-grade NAT), fc00::/7 (unique local),
     * fec0::/10 (old site-local). Allowed unless {@code GATEWAY_OUTBOUND_PRIVATE=deny}.
     */
    PRIVATE("a private-network address"),
    /** 169.254.0.0/16, fe80::/10. Refused unless {@code GATEWAY_OUTBOUND_LINK_LOCAL=allow}. */
    LINK_LOCAL("a link-local address"),
    /**
     * The instance metadata and platform services of cloud providers ({@link OutboundPolicy#METADATA_ADDRESSES}),
     * which hand out credentials to whoever asks from the machine. Refused unless
     * {@code GATEWAY_OUTBOUND_METADATA=allow}, whatever the other settings say.
     */
    CLOUD_METADATA("a cloud metadata address"),
    /** 0.0.0.0/8, ::. Always refused. */
    UNSPECIFIED("an unspecified address"),
    /** 224.0.0.0/4, ff00::/8. Always refused. */
    MULTICAST("a multicast address"),
    /** 255.255.255.255. Always refused. */
    BROADCAST("the broadcast address"),
    /** 240.0.0.0/4 (reserved for future use). Always refused. */
    RESERVED("a reserved address");

    private final String description;

    AddressCategory(String description) {
        this.description = description;
    }

    /** E.g. {@code a link-local address}, for messages. */
    public String description() {
        return description;
    }
}
