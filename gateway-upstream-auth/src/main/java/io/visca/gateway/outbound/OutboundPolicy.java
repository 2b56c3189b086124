package io.visca.gateway.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import io.netty.util.NetUtil;

/**
 * The outbound URL policy: which addresses the gateway may send a request to on behalf of a provider config (endpoint
 * base URLs, OAuth2 token URLs, follow-up URLs an upstream hands back). One rule for the registry (at save time and
 * for Test Connection), the health monitor's probes and every call of the router, applied to the address a connection
 * is actually opened to (after DNS, so that a name resolving to a forbidden address is caught too).
 * <p>
 * By default link-local and cloud metadata addresses are refused (they hand out the machine's cloud credentials), as
 * are unspecified, multicast, broadcast and reserved ones; loopback and private networks are allowed, because
 * self-hosted models live there, and each can be refused by a setting. Addresses in the deny list are refused
 * whatever their category. Thread-safe and immutable.
 */
public final class OutboundPolicy {

    /** Whether a category of addresses may be called: {@code allow} or {@code deny} in the settings. */
    public enum Access {
        ALLOW,
        DENY
    }

    /** Rule names, as the settings are named in every service's environment. */
    public static final String LOOPBACK_SETTING = "GATEWAY_OUTBOUND_LOOPBACK";
    public static final String PRIVATE_SETTING = "GATEWAY_OUTBOUND_PRIVATE";
    public static final String LINK_LOCAL_SETTING = "GATEWAY_OUTBOUND_LINK_LOCAL";
    public static final String METADATA_SETTING = "GATEWAY_OUTBOUND_METADATA";
    public static final String DENY_CIDRS_SETTING = "GATEWAY_OUTBOUND_DENY_CIDRS";

    /**
     * Well-known instance metadata and platform endpoints: AWS (IMDS, ECS task metadata, EKS Pod Identity, over IPv4
     * and IPv6), Google Cloud, Azure (IMDS and WireServer), Oracle Cloud, Alibaba Cloud, Tencent Cloud, Scaleway,
     * DigitalOcean, OpenStack.
     */
    public static final Set<String> METADATA_ADDRESSES = Set.of("169.254.169.254", "169.254.170.2", "169.254.170.23",
            "169.254.0.23", "169.254.42.42", "100.100.100.200", "168.63.129.16", "192.0.0.192", "fd00:ec2::254",
            "fd00:ec2::23", "fd20:ce::254");

    private static final List<byte[]> METADATA = METADATA_ADDRESSES.stream().map(OutboundPolicy::literal).toList();

    private final Access loopback;
    private final Access privateNetworks;
    private final Access linkLocal;
    private final Access metadata;
    private final List<Cidr> denied;

    /**
     * @param denyCidrs addresses refused whatever their category, e.g. {@code 10.20.0.0/16} or {@code 2001:db8::/32}
     *        (a bare address is a /32 or /128)
     * @throws IllegalArgumentException naming {@code GATEWAY_OUTBOUND_DENY_CIDRS} when an entry is not a CIDR block
     */
    public OutboundPolicy(Access loopback, Access privateNetworks, Access linkLocal, Access metadata,
            List<String> denyCidrs) {
        this.loopback = loopback;
        this.privateNetworks = privateNetworks;
        this.linkLocal = linkLocal;
        this.metadata = metadata;
        List<Cidr> blocks = new ArrayList<>();
        for (String entry : denyCidrs) {
            if (!entry.isBlank()) {
                blocks.add(Cidr.parse(entry.trim()));
            }
        }
        this.denied = List.copyOf(blocks);
    }

    /** Loopback and private networks allowed, everything else that is not public refused, no deny list. */
    public static OutboundPolicy defaults() {
        return new OutboundPolicy(Access.ALLOW, Access.ALLOW, Access.DENY, Access.DENY, List.of());
    }

    /**
     * Judges one address {@code host} stands for (resolved, or the literal itself).
     *
     * @return the refusal, or null when the policy allows the address
     */
    public OutboundRefusedException judge(String host, InetAddress address) {
        byte[] bytes = address.getAddress();
        byte[] inner = embeddedIpv4(bytes);
        for (Cidr block : denied) {
            if (block.contains(bytes) || (inner != null && block.contains(inner))) {
                return new OutboundRefusedException(host, address, categorize(bytes), DENY_CIDRS_SETTING + " ("
                        + block + ")");
            }
        }
        AddressCategory category = categorize(bytes);
        String rule = switch (category) {
            case PUBLIC -> null;
            case LOOPBACK -> loopback == Access.ALLOW ? null : LOOPBACK_SETTING + "=deny";
            case PRIVATE -> privateNetworks == Access.ALLOW ? null : PRIVATE_SETTING + "=deny";
            case LINK_LOCAL -> linkLocal == Access.ALLOW ? null : LINK_LOCAL_SETTING + "=deny";
            case CLOUD_METADATA -> metadata == Access.ALLOW ? null : METADATA_SETTING + "=deny";
            case UNSPECIFIED, MULTICAST, BROADCAST, RESERVED -> "never allowed";
        };
        return rule == null ? null : new OutboundRefusedException(host, address, category, rule);
    }

    /** The category of an address. */
    public static AddressCategory categorize(InetAddress address) {
        return categorize(address.getAddress());
    }

    static AddressCategory categorize(byte[] address) {
        for (byte[] known : METADATA) {
            if (Arrays.equals(known, address)) {
                return AddressCategory.CLOUD_METADATA;
            }
        }
        if (address.length == 4) {
            return categorizeIpv4(address);
        }
        byte[] inner = embeddedIpv4(address);
        if (inner != null) {
            return categorize(inner);
        }
        int first = address[0] & 0xff;
        int second = address[1] & 0xff;
        if (isZero(address, 0, 16)) {
            return AddressCategory.UNSPECIFIED;
        }
        if (isZero(address, 0, 15) && address[15] == 1) {
            return AddressCategory.LOOPBACK;
        }
        if (first == 0xff) {
            return AddressCategory.MULTICAST;
        }
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return AddressCategory.LINK_LOCAL;
        }
        if ((first & 0xfe) == 0xfc || (first == 0xfe && (second & 0xc0) == 0xc0)) {
            return AddressCategory.PRIVATE;
        }
        return AddressCategory.PUBLIC;
    }

    private static AddressCategory categorizeIpv4(byte[] address) {
        int a = address[0] & 0xff;
        int b = address[1] & 0xff;
        if (a == 0) {
            return AddressCategory.UNSPECIFIED;
        }
        if (a == 127) {
            return AddressCategory.LOOPBACK;
        }
        if (a == 169 && b == 254) {
            return AddressCategory.LINK_LOCAL;
        }
        if (a == 10 || (a == 172 && (b & 0xf0) == 16) || (a == 192 && b == 168) || (a == 100 && (b & 0xc0) == 64)) {
            return AddressCategory.PRIVATE;
        }
        if (a >= 224 && a <= 239) {
            return AddressCategory.MULTICAST;
        }
        if (a == 255 && b == 255 && (address[2] & 0xff) == 255 && (address[3] & 0xff) == 255) {
            return AddressCategory.BROADCAST;
        }
        if (a >= 240) {
            return AddressCategory.RESERVED;
        }
        return AddressCategory.PUBLIC;
    }

    /**
     * The IPv4 address inside an IPv6 one that carries it: IPv4-mapped ({@code ::ffff:a.b.c.d}), IPv4-compatible
     * ({@code ::a.b.c.d}, but {@code ::} and {@code ::1}), NAT64 ({@code 64:ff9b::/96}, and the local-use
     * {@code 64:ff9b:1::/48} read the same way), 6to4 ({@code 2002:AABB:CCDD::/48}) and Teredo ({@code 2001:0::/32},
     * the client's address, stored inverted); null for any other address.
     */
    static byte[] embeddedIpv4(byte[] address) {
        if (address.length != 16) {
            return null;
        }
        int w0 = word(address, 0);
        int w1 = word(address, 2);
        if (isZero(address, 0, 10) && word(address, 10) == 0xffff) {
            return slice(address, 12, false);
        }
        if (isZero(address, 0, 12) && !(isZero(address, 12, 15) && (address[15] == 0 || address[15] == 1))) {
            return slice(address, 12, false);
        }
        if (w0 == 0x0064 && w1 == 0xff9b && (isZero(address, 4, 12) || word(address, 4) == 0x0001)) {
            return slice(address, 12, false);
        }
        if (w0 == 0x2002) {
            return slice(address, 2, false);
        }
        if (w0 == 0x2001 && w1 == 0x0000) {
            return slice(address, 12, true);
        }
        return null;
    }

    private static int word(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
    }

    private static boolean isZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] slice(byte[] bytes, int from, boolean inverted) {
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            out[i] = (byte) (inverted ? ~bytes[from + i] : bytes[from + i]);
        }
        return out;
    }

    /** The bytes of an IP literal (never a DNS lookup: the callers pass literals only). */
    static byte[] literal(String ip) {
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + ip, e);
        }
    }

    /** An address block, e.g. {@code 10.0.0.0/8}. */
    private record Cidr(byte[] network, int prefix, String text) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String ip = slash < 0 ? text : text.substring(0, slash);
            if (!NetUtil.isValidIpV4Address(ip) && !NetUtil.isValidIpV6Address(ip)) {
                throw new IllegalArgumentException(DENY_CIDRS_SETTING + ": '" + text + "' is not an address block "
                        + "such as 10.20.0.0/16 or fd00:1::/64");
            }
            byte[] network = NetUtil.createByteArrayFromIpAddressString(ip);
            int prefix;
            try {
                prefix = slash < 0 ? network.length * 8 : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException(DENY_CIDRS_SETTING + ": '" + text + "' has no valid prefix length "
                        + "(0 to " + network.length * 8 + ")");
            }
            return new Cidr(network, prefix, text);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
