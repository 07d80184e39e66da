package io.moneytrail.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * What kind of address an IP address is, for deciding whether a store's webhook endpoint may
 * be sent to. The ranges are IANA's special-purpose registries (IPv4 and IPv6), written out
 * as data: anything not listed is {@link Kind#PUBLIC}, except that an IPv6 address outside
 * global unicast ({@code 2000::/3}) is {@link Kind#RESERVED}. IPv6 forms that carry an IPv4
 * address (mapped {@code ::ffff:0:0/96}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16})
 * are judged by the IPv4 address inside.
 */
final class AddressRanges {

    /** Address classes; only {@code PUBLIC}, and with allow-private also {@code PRIVATE} and {@code LOOPBACK}, are sent to. */
    enum Kind {
        PUBLIC("public"),
        LOOPBACK("loopback"),
        /** RFC 1918, shared CGNAT space, IPv6 unique-local and the old site-local. */
        PRIVATE("private"),
        /** 169.254.0.0/16 (cloud metadata services live here) and fe80::/10: never. */
        LINK_LOCAL("link-local"),
        MULTICAST("multicast"),
        UNSPECIFIED("unspecified"),
        BROADCAST("broadcast"),
        /** Documentation, benchmarking, protocol assignments, future use: never routable to a store. */
        RESERVED("reserved");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        String wire() {
            return wire;
        }
    }

    private record Range(byte[] prefix, int bits, Kind kind) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (prefix[whole] & mask);
        }
    }

    /** First match wins: more specific ranges come first. */
    private static final List<Range> IPV4 = List.of(
            range("0.0.0.0/8", Kind.UNSPECIFIED),          // "this network"
            range("10.0.0.0/8", Kind.PRIVATE),
            range("100.64.0.0/10", Kind.PRIVATE),          // shared address space (carrier-grade NAT)
            range("127.0.0.0/8", Kind.LOOPBACK),
            range("169.254.0.0/16", Kind.LINK_LOCAL),      // incl. 169.254.169.254, cloud metadata
            range("172.16.0.0/12", Kind.PRIVATE),
            range("192.0.0.0/24", Kind.RESERVED),          // IETF protocol assignments
            range("192.0.2.0/24", Kind.RESERVED),          // documentation (TEST-NET-1)
            range("192.88.99.0/24", Kind.RESERVED),        // 6to4 relay anycast (deprecated)
            range("192.168.0.0/16", Kind.PRIVATE),
            range("198.18.0.0/15", Kind.RESERVED),         // benchmarking
            range("198.51.100.0/24", Kind.RESERVED),       // documentation (TEST-NET-2)
            range("203.0.113.0/24", Kind.RESERVED),        // documentation (TEST-NET-3)
            range("224.0.0.0/4", Kind.MULTICAST),
            range("255.255.255.255/32", Kind.BROADCAST),
            range("240.0.0.0/4", Kind.RESERVED));          // future use

    private static final List<Range> IPV6 = List.of(
            range("::/128", Kind.UNSPECIFIED),
            range("::1/128", Kind.LOOPBACK),
            range("::/96", Kind.RESERVED),                 // IPv4-compatible (deprecated)
            range("64:ff9b:1::/48", Kind.PRIVATE),         // local-use NAT64
            range("100::/64", Kind.RESERVED),              // discard-only
            range("2001::/23", Kind.RESERVED),             // IETF protocol assignments, incl. Teredo
            range("2001:db8::/32", Kind.RESERVED),         // documentation
            range("3fff::/20", Kind.RESERVED),             // documentation
            range("fc00::/7", Kind.PRIVATE),               // unique local
            range("fe80::/10", Kind.LINK_LOCAL),
            range("fec0::/10", Kind.PRIVATE),              // site-local (deprecated)
            range("ff00::/8", Kind.MULTICAST));

    private static final Range NAT64 = range("64:ff9b::/96", Kind.PUBLIC);
    private static final Range SIX_TO_FOUR = range("2002::/16", Kind.PUBLIC);
    private static final Range MAPPED = range("::ffff:0:0/96", Kind.PUBLIC);
    private static final Range GLOBAL_UNICAST = range("2000::/3", Kind.PUBLIC);

    private AddressRanges() {
    }

    static Kind kind(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return kind4(bytes);
        }
        if (!(address instanceof Inet6Address)) {
            return Kind.RESERVED;
        }
        // forms that carry an IPv4 address are as good as that address
        if (MAPPED.contains(bytes) || NAT64.contains(bytes)) {
            return kind4(slice(bytes, 12));
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return kind4(slice(bytes, 2));
        }
        for (Range range : IPV6) {
            if (range.contains(bytes)) {
                return range.kind();
            }
        }
        return GLOBAL_UNICAST.contains(bytes) ? Kind.PUBLIC : Kind.RESERVED;
    }

    private static Kind kind4(byte[] bytes) {
        for (Range range : IPV4) {
            if (range.contains(bytes)) {
                return range.kind();
            }
        }
        return Kind.PUBLIC;
    }

    private static byte[] slice(byte[] bytes, int from) {
        byte[] four = new byte[4];
        System.arraycopy(bytes, from, four, 0, 4);
        return four;
    }

    private static Range range(String cidr, Kind kind) {
        int slash = cidr.indexOf('/');
        try {
            // literals only: getByName does not look these up in DNS
            byte[] prefix = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            if (cidr.startsWith("::ffff:")) {
                prefix = new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0};
            }
            return new Range(prefix, Integer.parseInt(cidr.substring(slash + 1)), kind);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("bad range literal " + cidr, e);
        }
    }
}
