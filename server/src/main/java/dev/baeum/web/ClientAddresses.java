package dev.baeum.web;

import io.javalin.http.Context;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Who is on the other end, for limits and access checks. The TCP peer, unless the operator says
 * ({@code proxy.hops}) that reverse proxies stand in front: then the address the outermost trusted proxy
 * saw, read from the right of {@code X-Forwarded-For}, where a client cannot forge it.
 */
public final class ClientAddresses {

    private static final String ATTRIBUTE = "baeum.clientAddress";
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    /** Only hex digits, colons and dots: an IPv6 literal (with ':') is parsed without any name lookup. */
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");

    private final int proxyHops;

    public ClientAddresses(int proxyHops) {
        if (proxyHops < 0) {
            throw new IllegalArgumentException("proxy hops must not be negative");
        }
        this.proxyHops = proxyHops;
    }

    /** The client's address, resolved once per request. */
    public InetAddress address(Context ctx) {
        InetAddress cached = ctx.attribute(ATTRIBUTE);
        if (cached != null) {
            return cached;
        }
        InetAddress address = null;
        if (proxyHops > 0) {
            List<String> hops = forwardedFor(ctx);
            if (hops.size() >= proxyHops) {
                address = parse(hops.get(hops.size() - proxyHops));
            }
        }
        if (address == null) {
            address = parse(ctx.req().getRemoteAddr());
        }
        if (address == null) {
            address = InetAddress.getLoopbackAddress(); // cannot happen for a TCP peer; never trust a header for it
        }
        ctx.attribute(ATTRIBUTE, address);
        return address;
    }

    /**
     * The key limits count under: the IPv4 address, or the /64 network of an IPv6 one (one household or
     * server gets a whole /64, so single IPv6 addresses are free to change).
     */
    public String key(Context ctx) {
        return key(address(ctx));
    }

    static String key(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                s.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
            }
            return s.append(":/64").toString();
        }
        return address.getHostAddress();
    }

    /** Whether the operator said reverse proxies stand in front ({@code proxy.hops} > 0). */
    public boolean behindProxy() {
        return proxyHops > 0;
    }

    public boolean isLoopback(Context ctx) {
        return address(ctx).isLoopbackAddress();
    }

    private static List<String> forwardedFor(Context ctx) {
        List<String> hops = new ArrayList<>();
        for (String header : Collections.list(ctx.req().getHeaders("X-Forwarded-For"))) {
            for (String part : header.split(",")) {
                if (!part.isBlank()) {
                    hops.add(part.strip());
                }
            }
        }
        return hops;
    }

    /** An IP literal, or null: never a host name (that would mean a DNS lookup of a client's text). */
    static InetAddress parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        int zone = t.indexOf('%');
        if (zone >= 0) {
            t = t.substring(0, zone);
        }
        try {
            if (IPV4.matcher(t).matches() || (t.indexOf(':') >= 0 && IPV6.matcher(t).matches())) {
                InetAddress address = InetAddress.getByName(t);
                return address instanceof Inet6Address v6 && isMappedV4(v6)
                        ? Inet4Address.getByAddress(Arrays.copyOfRange(v6.getAddress(), 12, 16)) : address;
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }

    private static boolean isMappedV4(Inet6Address address) {
        byte[] b = address.getAddress();
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
