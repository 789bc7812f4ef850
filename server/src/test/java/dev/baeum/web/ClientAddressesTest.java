package dev.baeum.web;

import dev.baeum.base.config.Rate;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The pieces limits are keyed and sized by: client addresses and {@code count/window} settings. */
class ClientAddressesTest {

    @Test
    void onlyIpLiteralsAreAcceptedNeverNamesToLookUp() {
        assertEquals("203.0.113.7", ClientAddresses.key(ClientAddresses.parse(" 203.0.113.7 ")));
        assertEquals("203.0.113.7", ClientAddresses.key(ClientAddresses.parse("::ffff:203.0.113.7")), "IPv4-mapped IPv6 is IPv4");
        for (String bad : new String[]{"example.com", "localhost", "999.1.1.1", "1.2.3", "", "unknown", "1.2.3.4.5", "0x7f.1"}) {
            assertNull(ClientAddresses.parse(bad), bad);
        }
    }

    @Test
    void ipv6AddressesCountPerSlash64() {
        String a = ClientAddresses.key(ClientAddresses.parse("2001:db8:1:2::1"));
        String b = ClientAddresses.key(ClientAddresses.parse("[2001:db8:1:2:ffff:ffff:ffff:ffff]"));
        String other = ClientAddresses.key(ClientAddresses.parse("2001:db8:1:3::1"));
        assertEquals("2001:db8:1:2::/64", a);
        assertEquals(a, b, "one household's /64 is one client");
        assertFalse(a.equals(other));
        assertEquals("0:0:0:0::/64", ClientAddresses.key(ClientAddresses.parse("::1")));
    }

    @Test
    void ratesAreCountPerWindowOrOff() {
        assertEquals(new Rate(20, Duration.ofMinutes(15)), Rate.parse("20/15m"));
        assertEquals(new Rate(300, Duration.ofHours(1)), Rate.parse(" 300 / 1h "));
        assertFalse(Rate.parse("off").enabled());
        assertFalse(Rate.parse("0").enabled());
        for (String bad : new String[]{"20", "/15m", "20/", "20/soon", "-1/1h", "0/1h", "20/0s"}) {
            assertNull(Rate.parse(bad), bad);
        }
    }
}
