package io.moneytrail.provider.yookassa;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * A list of networks (CIDR blocks or single addresses, IPv4 and IPv6) and whether an address
 * lies inside one. The matching is Spring Security's {@link IpAddressMatcher} (the same as
 * {@code MONEYTRAIL_TRUSTED_PROXIES} uses); this class only keeps what a notification's sender
 * address may look like: a literal, never a host name to look up, and never an IPv4 shorthand
 * such as {@code 185.71.76}, which {@code InetAddress} would read as {@code 185.71.0.76}. An
 * IPv4-mapped IPv6 address ({@code ::ffff:1.2.3.4}) counts as its IPv4 address.
 */
final class TrustedNetworks {

    /** A full dotted IPv4 address or an IPv6 literal (hex, dots and colons; no zone ids). */
    private static final Pattern LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*");

    private final List<IpAddressMatcher> networks;
    private final List<String> texts;

    private TrustedNetworks(List<IpAddressMatcher> networks, List<String> texts) {
        this.networks = List.copyOf(networks);
        this.texts = List.copyOf(texts);
    }

    /** Parses {@code 185.71.76.0/27}, {@code 77.75.156.11}, {@code 2a02:5180::/32}; a bad entry fails the start. */
    static TrustedNetworks parse(List<String> entries) {
        List<IpAddressMatcher> parsed = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (String entry : entries) {
            String text = entry.strip();
            int slash = text.indexOf('/');
            if (!LITERAL.matcher(slash < 0 ? text : text.substring(0, slash)).matches()) {
                throw new IllegalArgumentException("moneytrail.yookassa.trusted-networks: '" + entry
                        + "' is not an IP address or CIDR block");
            }
            try {
                parsed.add(new IpAddressMatcher(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("moneytrail.yookassa.trusted-networks: '" + entry
                        + "' is not an IP address or CIDR block (" + e.getMessage() + ")", e);
            }
            texts.add(text);
        }
        return new TrustedNetworks(parsed, texts);
    }

    boolean contains(String address) {
        if (address == null) {
            return false;
        }
        String bare = address.strip();
        if (bare.startsWith("[") && bare.endsWith("]")) {
            bare = bare.substring(1, bare.length() - 1);
        }
        if (!LITERAL.matcher(bare).matches()) {
            return false;
        }
        for (IpAddressMatcher network : networks) {
            if (network.matches(bare)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return texts.toString();
    }
}
