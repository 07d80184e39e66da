package io.moneytrail.provider.yookassa;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A list of networks (CIDR blocks or single addresses, IPv4 and IPv6) and whether an address
 * lies inside one. Addresses are parsed as literals only: a host name is never looked up. An
 * IPv4-mapped IPv6 address ({@code ::ffff:1.2.3.4}) counts as its IPv4 address.
 */
final class TrustedNetworks {

    /** Only literal addresses: digits, hex, dots and colons (no host names, no zone ids). */
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    private record Network(byte[] address, int prefixBits, String text) {

        boolean contains(byte[] candidate) {
            if (candidate.length != address.length) {
                return false;
            }
            int bits = candidate.length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(bits - prefixBits).subtract(BigInteger.ONE));
            return new BigInteger(1, candidate).and(mask).equals(new BigInteger(1, address).and(mask));
        }
    }

    private final List<Network> networks;

    private TrustedNetworks(List<Network> networks) {
        this.networks = List.copyOf(networks);
    }

    /** Parses {@code 185.71.76.0/27}, {@code 77.75.156.11}, {@code 2a02:5180::/32}; a bad entry fails the start. */
    static TrustedNetworks parse(List<String> entries) {
        List<Network> parsed = new ArrayList<>();
        for (String entry : entries) {
            String text = entry.strip();
            int slash = text.indexOf('/');
            byte[] address = literal(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("moneytrail.yookassa.trusted-networks: '" + entry
                        + "' is not an IP address or CIDR block");
            }
            int maxBits = address.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? maxBits : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > maxBits) {
                throw new IllegalArgumentException("moneytrail.yookassa.trusted-networks: '" + entry
                        + "' has a prefix length outside 0.." + maxBits);
            }
            parsed.add(new Network(address, prefix, text));
        }
        return new TrustedNetworks(parsed);
    }

    boolean contains(String address) {
        byte[] candidate = address == null ? null : literal(address.strip());
        if (candidate == null) {
            return false;
        }
        for (Network network : networks) {
            if (network.contains(candidate)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return networks.stream().map(Network::text).toList().toString();
    }

    /** The bytes of a literal address (IPv4-mapped IPv6 as IPv4), or null if it is not one. */
    private static byte[] literal(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (bare.isEmpty() || !LITERAL.matcher(bare).matches()) {
            return null;
        }
        if (!bare.contains(":") && !bare.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return null; // InetAddress would read "1" or "1.2" as IPv4 shorthands
        }
        try {
            return InetAddress.getByName(bare).getAddress(); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
