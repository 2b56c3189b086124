package io.visca.gateway.outbound;

import java.net.InetAddress;

import io.netty.util.NetUtil;

/**
 * The outbound URL policy refuses the address a request would go to. It names the host, the address, its category
 * and the rule that refused it (a setting such as {@code GATEWAY_OUTBOUND_LINK_LOCAL=deny}), nothing more. Carries no
 * stack trace: it is an answer, not a bug, and the same refusal may be handed to many callers.
 */
public final class OutboundRefusedException extends RuntimeException {

    private final String host;
    private final String address;
    private final AddressCategory category;
    private final String rule;

    public OutboundRefusedException(String host, InetAddress address, AddressCategory category, String rule) {
        super(message(host, address.getHostAddress(), category, rule), null, false, false);
        this.host = host;
        this.address = address.getHostAddress();
        this.category = category;
        this.rule = rule;
    }

    private static String message(String host, String address, AddressCategory category, String rule) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean literal = NetUtil.isValidIpV4Address(bare) || NetUtil.isValidIpV6Address(bare);
        return (literal ? bare + " is " : host + " resolves to " + address + ", ") + category.description()
                + ": refused by the outbound URL policy (" + rule + ")";
    }

    /** The host name or IP literal of the URL. */
    public String host() {
        return host;
    }

    /** The refused IP address. */
    public String address() {
        return address;
    }

    public AddressCategory category() {
        return category;
    }

    /** The setting that refused it, e.g. {@code GATEWAY_OUTBOUND_METADATA=deny}, or {@code never allowed}. */
    public String rule() {
        return rule;
    }

    /**
     * The refusal without host and address, for callers that must not learn the gateway's network (the router's
     * {@code /v1} clients): e.g. {@code its address is a link-local address, refused by the outbound URL policy
     * (GATEWAY_OUTBOUND_LINK_LOCAL=deny)}.
     */
    public String withoutAddress() {
        return "its address is " + category.description() + ", refused by the outbound URL policy (" + rule + ")";
    }
}
