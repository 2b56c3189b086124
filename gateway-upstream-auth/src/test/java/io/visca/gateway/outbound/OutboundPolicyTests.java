package io.visca.gateway.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.visca.gateway.outbound.OutboundPolicy.Access;

/** The address table of {@link OutboundPolicy}: every category, the embedded IPv4 forms, the settings. */
class OutboundPolicyTests {

    private static final OutboundPolicy DEFAULTS = OutboundPolicy.defaults();
    private static final OutboundPolicy STRICT = new OutboundPolicy(Access.DENY, Access.DENY, Access.DENY, Access.DENY,
            List.of());
    private static final OutboundPolicy LENIENT = new OutboundPolicy(Access.ALLOW, Access.ALLOW, Access.ALLOW,
            Access.ALLOW, List.of());

    /** address, category, refused by default, refused with loopback and private denied, refused when all allowed */
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            // public
            "8.8.8.8, PUBLIC, false, false, false",
            "1.1.1.1, PUBLIC, false, false, false",
            "172.32.0.1, PUBLIC, false, false, false",
            "100.128.0.1, PUBLIC, false, false, false",
            "169.255.0.1, PUBLIC, false, false, false",
            "2606:4700::1111, PUBLIC, false, false, false",
            // loopback
            "127.0.0.1, LOOPBACK, false, true, false",
            "127.255.255.254, LOOPBACK, false, true, false",
            "::1, LOOPBACK, false, true, false",
            // private networks
            "10.0.0.1, PRIVATE, false, true, false",
            "10.255.255.255, PRIVATE, false, true, false",
            "172.16.0.1, PRIVATE, false, true, false",
            "172.31.255.255, PRIVATE, false, true, false",
            "192.168.1.10, PRIVATE, false, true, false",
            "100.64.0.1, PRIVATE, false, true, false",
            "100.127.255.255, PRIVATE, false, true, false",
            "fc00::1, PRIVATE, false, true, false",
            "fd12:3456::1, PRIVATE, false, true, false",
            "fec0::1, PRIVATE, false, true, false",
            // link-local: refused by default
            "169.254.0.1, LINK_LOCAL, true, true, false",
            "169.254.255.255, LINK_LOCAL, true, true, false",
            "fe80::1, LINK_LOCAL, true, true, false",
            "febf::1, LINK_LOCAL, true, true, false",
            // cloud metadata: refused by default, whatever link-local and private say
            "169.254.169.254, CLOUD_METADATA, true, true, false",
            "169.254.170.2, CLOUD_METADATA, true, true, false",
            "100.100.100.200, CLOUD_METADATA, true, true, false",
            "168.63.129.16, CLOUD_METADATA, true, true, false",
            "192.0.0.192, CLOUD_METADATA, true, true, false",
            "fd00:ec2::254, CLOUD_METADATA, true, true, false",
            "fd20:ce::254, CLOUD_METADATA, true, true, false",
            // never allowed
            "0.0.0.0, UNSPECIFIED, true, true, true",
            "0.1.2.3, UNSPECIFIED, true, true, true",
            "::, UNSPECIFIED, true, true, true",
            "224.0.0.1, MULTICAST, true, true, true",
            "239.255.255.250, MULTICAST, true, true, true",
            "ff02::1, MULTICAST, true, true, true",
            "255.255.255.255, BROADCAST, true, true, true",
            "240.0.0.1, RESERVED, true, true, true",
            // IPv6 forms that carry an IPv4 address are judged by the address inside
            "::ffff:169.254.169.254, CLOUD_METADATA, true, true, false",
            "::ffff:127.0.0.1, LOOPBACK, false, true, false",
            "::ffff:8.8.8.8, PUBLIC, false, false, false",
            "::169.254.169.254, CLOUD_METADATA, true, true, false",
            "::10.1.2.3, PRIVATE, false, true, false",
            "::0.0.0.5, UNSPECIFIED, true, true, true",
            "64:ff9b::a9fe:a9fe, CLOUD_METADATA, true, true, false",
            "64:ff9b::7f00:1, LOOPBACK, false, true, false",
            "64:ff9b::808:808, PUBLIC, false, false, false",
            "64:ff9b:1::a9fe:1, LINK_LOCAL, true, true, false",
            "2002:a9fe:a9fe::1, CLOUD_METADATA, true, true, false",
            "2002:c0a8:0101::1, PRIVATE, false, true, false",
            "2002:0808:0808::1, PUBLIC, false, false, false",
            // Teredo: the client address is stored inverted (169.254.169.254 -> 5601:5601)
            "2001:0:4136:e378:8000:63bf:5601:5601, CLOUD_METADATA, true, true, false",
            "2001:0:4136:e378:8000:63bf:f7f7:f7f7, PUBLIC, false, false, false" })
    void judgesEachAddressByItsCategory(String ip, AddressCategory category, boolean refusedByDefault,
            boolean refusedWhenStrict, boolean refusedWhenLenient) throws Exception {
        InetAddress address = InetAddress.getByName(ip);
        assertEquals(category, OutboundPolicy.categorize(address));
        assertEquals(refusedByDefault, DEFAULTS.judge(ip, address) != null, "defaults");
        assertEquals(refusedWhenStrict, STRICT.judge(ip, address) != null, "every setting on deny");
        assertEquals(refusedWhenLenient, LENIENT.judge(ip, address) != null, "every setting on allow");
    }

    @Test
    void aRefusalNamesTheHostTheAddressTheCategoryAndTheRule() throws Exception {
        OutboundRefusedException byName = DEFAULTS.judge("metadata.example", InetAddress.getByName("169.254.169.254"));
        assertEquals("metadata.example resolves to 169.254.169.254, a cloud metadata address: refused by the "
                + "outbound URL policy (GATEWAY_OUTBOUND_METADATA=deny)", byName.getMessage());
        assertEquals(AddressCategory.CLOUD_METADATA, byName.category());
        assertEquals("GATEWAY_OUTBOUND_METADATA=deny", byName.rule());

        OutboundRefusedException literal = DEFAULTS.judge("169.254.1.1", InetAddress.getByName("169.254.1.1"));
        assertEquals("169.254.1.1 is a link-local address: refused by the outbound URL policy "
                + "(GATEWAY_OUTBOUND_LINK_LOCAL=deny)", literal.getMessage());
        assertEquals("its address is a link-local address, refused by the outbound URL policy "
                + "(GATEWAY_OUTBOUND_LINK_LOCAL=deny)", literal.withoutAddress());

        OutboundRefusedException bracketed = STRICT.judge("[::1]", InetAddress.getByName("::1"));
        assertEquals("::1 is a loopback address: refused by the outbound URL policy (GATEWAY_OUTBOUND_LOOPBACK=deny)",
                bracketed.getMessage());

        OutboundRefusedException never = LENIENT.judge("0.0.0.0", InetAddress.getByName("0.0.0.0"));
        assertEquals("never allowed", never.rule());
    }

    @Test
    void linkLocalAllowedStillRefusesMetadataUnlessThatIsAllowedToo() throws Exception {
        OutboundPolicy linkLocal = new OutboundPolicy(Access.ALLOW, Access.ALLOW, Access.ALLOW, Access.DENY,
                List.of());
        assertNull(linkLocal.judge("169.254.10.10", InetAddress.getByName("169.254.10.10")));
        assertNotNull(linkLocal.judge("169.254.169.254", InetAddress.getByName("169.254.169.254")));
    }

    @Test
    void theDenyListRefusesAnyCategoryAndTheIpv4InsideIpv6() throws Exception {
        OutboundPolicy policy = new OutboundPolicy(Access.ALLOW, Access.ALLOW, Access.DENY, Access.DENY,
                List.of("203.0.113.0/24", " 10.20.0.0/16 ", "2001:db8::/32", "198.51.100.7", ""));
        OutboundRefusedException refused = policy.judge("api.example", InetAddress.getByName("203.0.113.9"));
        assertEquals("GATEWAY_OUTBOUND_DENY_CIDRS (203.0.113.0/24)", refused.rule());
        assertEquals(AddressCategory.PUBLIC, refused.category());
        assertNotNull(policy.judge("x", InetAddress.getByName("10.20.255.1")));
        assertNull(policy.judge("x", InetAddress.getByName("10.21.0.1")));
        assertNotNull(policy.judge("x", InetAddress.getByName("2001:db8:1::1")));
        assertNotNull(policy.judge("x", InetAddress.getByName("198.51.100.7")));
        assertNull(policy.judge("x", InetAddress.getByName("198.51.100.8")));
        assertNotNull(policy.judge("x", InetAddress.getByName("::ffff:203.0.113.1")));
        assertNotNull(policy.judge("x", InetAddress.getByName("64:ff9b::cb00:7101")), "NAT64 of 203.0.113.1");
    }

    @Test
    void aMalformedDenyListEntryIsAClearError() {
        for (String bad : List.of("10.0.0.0/33", "10.0.0/8", "example.com/24", "::1/129", "10.0.0.0/x")) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> new OutboundPolicy(Access.ALLOW, Access.ALLOW, Access.DENY, Access.DENY, List.of(bad)));
            assertTrue(error.getMessage().startsWith("GATEWAY_OUTBOUND_DENY_CIDRS: '" + bad + "'"),
                    error.getMessage());
        }
    }
}
