package io.moneytrail.webhook;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Where a store's webhook endpoint may point: an absolute http(s) URL without credentials,
 * whose host is a name or a plainly written address, and whose every address is public
 * ({@link AddressRanges}). With {@code moneytrail.outbound.allow-private} loopback and
 * private addresses are allowed too (a store on the same host or LAN); link-local
 * (169.254.0.0/16, where cloud metadata services answer, and fe80::/10), multicast,
 * unspecified, broadcast and reserved addresses never are.
 * <p>
 * The same rules apply when an endpoint is registered and every time a delivery connects:
 * this class is also the {@link DnsResolver} of the outbound HTTP client, so the addresses
 * it checked are the only ones the client can connect to (a name that answers a public
 * address at registration and 127.0.0.1 later, DNS rebinding, is refused at the later
 * connection).
 */
@Component
class EndpointAddressPolicy implements DnsResolver {

    /** Codes of the error envelope at registration. */
    static final String URL_INVALID = "url_invalid";
    static final String URL_NOT_ALLOWED = "url_not_allowed";

    /**
     * A host whose last label is a number (decimal, {@code 0x} hex, or with a leading zero)
     * is an IPv4 address to a WHATWG URL parser, curl and {@code inet_aton}; they disagree on
     * {@code 0177.0.0.1} and Java reads {@code 2130706433} as 127.0.0.1. Such a host must be
     * a plain dotted quad or it is refused, so nobody has to guess which reading applies.
     */
    private static final Pattern NUMERIC_LAST_LABEL = Pattern.compile("(?i)(?:^|.*\\.)(?:0x[0-9a-f]*|[0-9]+)\\.?$");
    private static final Pattern DOTTED_QUAD = Pattern.compile(
            "(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    /** Refusal of a URL, with the envelope code that says why. */
    static final class UrlRefusedException extends Exception {
        private final String code;

        UrlRefusedException(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        String code() {
            return code;
        }
    }

    /**
     * An address the policy refuses. An {@link UnknownHostException}, so that the HTTP client
     * treats it as a name that did not resolve: it never opens a connection.
     */
    static final class AddressNotAllowedException extends UnknownHostException {
        AddressNotAllowedException(String message) {
            super(message);
        }
    }

    private final boolean allowPrivate;
    private final DnsResolver resolver;

    @Autowired
    EndpointAddressPolicy(OutboundProperties properties) {
        this(properties.allowPrivate(), SystemDefaultDnsResolver.INSTANCE);
    }

    /** With the resolver that answers names (tests inject one that changes its answers). */
    EndpointAddressPolicy(boolean allowPrivate, DnsResolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    boolean allowPrivate() {
        return allowPrivate;
    }

    /** Whether deliveries may connect to {@code address}. */
    boolean allows(InetAddress address) {
        return switch (AddressRanges.kind(address)) {
            case PUBLIC -> true;
            case LOOPBACK, PRIVATE -> allowPrivate;
            case LINK_LOCAL, MULTICAST, UNSPECIFIED, BROADCAST, RESERVED -> false;
        };
    }

    /**
     * The URL's shape: absolute http(s), a host, no user info, no fragment, no odd spelling of
     * a numeric host. Resolves nothing.
     */
    URI checkUrl(String url) throws UrlRefusedException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new UrlRefusedException(URL_INVALID, "url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null && uri.getRawAuthority() != null) {
            // java.net.URI gives no host for some numeric spellings (0x7f.0.0.1): say why
            String authority = uri.getRawAuthority();
            String host = authority.substring(authority.lastIndexOf('@') + 1).replaceFirst(":[0-9]*$", "");
            try {
                checkSpelling(host);
            } catch (AddressNotAllowedException e) {
                throw new UrlRefusedException(URL_NOT_ALLOWED, e.getMessage());
            }
        }
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getFragment() != null
                || uri.isOpaque()) {
            throw new UrlRefusedException(URL_INVALID, "url must be an absolute http(s) URL with a host and no fragment");
        }
        if (uri.getRawUserInfo() != null) {
            throw new UrlRefusedException(URL_NOT_ALLOWED, "url must not carry a user name or password");
        }
        String host = uri.getHost();
        if (!host.startsWith("[")) {
            try {
                checkSpelling(host);
            } catch (AddressNotAllowedException e) {
                throw new UrlRefusedException(URL_NOT_ALLOWED, e.getMessage());
            }
        }
        return uri;
    }

    /**
     * Registration: the URL's shape, then its host's addresses as they resolve now. A name
     * that does not resolve (yet) is accepted: it is checked again at every connection.
     */
    URI checkRegistration(String url) throws UrlRefusedException {
        URI uri = checkUrl(url);
        try {
            resolve(uri.getHost());
        } catch (AddressNotAllowedException e) {
            throw new UrlRefusedException(URL_NOT_ALLOWED, e.getMessage());
        } catch (UnknownHostException notResolvingNow) {
            // nothing to connect to now; the resolver checks again when a delivery connects
        }
        return uri;
    }

    /**
     * Resolves {@code host} and returns its addresses only if every one of them is allowed:
     * one refused address refuses the name (a name that mixes public and internal addresses
     * is not a store's endpoint).
     */
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        checkSpelling(bare);
        InetAddress[] addresses = resolver.resolve(bare);
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        for (InetAddress address : addresses) {
            if (!allows(address)) {
                throw new AddressNotAllowedException(host + " is " + describe(address) + (isPrivateOrLoopback(address)
                        ? " (allowed only with MONEYTRAIL_OUTBOUND_ALLOW_PRIVATE=true)" : ""));
            }
        }
        return addresses;
    }

    /** The HTTP client asks with the port; the same check. */
    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        List<InetSocketAddress> checked = new ArrayList<>();
        for (InetAddress address : resolve(host)) {
            checked.add(new InetSocketAddress(address, port));
        }
        return checked;
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        // only used for Kerberos/SPNEGO, which outbound delivery never does; answer without a lookup
        return host;
    }

    private static void checkSpelling(String host) throws AddressNotAllowedException {
        if (host.contains(":")) {
            return; // an IPv6 literal: one spelling per address, parsed without DNS
        }
        if (NUMERIC_LAST_LABEL.matcher(host).matches() && !DOTTED_QUAD.matcher(host).matches()) {
            throw new AddressNotAllowedException("host " + host
                    + " is a numeric address not written as a plain dotted quad (a.b.c.d, decimal, no leading zeros)");
        }
    }

    private static boolean isPrivateOrLoopback(InetAddress address) {
        AddressRanges.Kind kind = AddressRanges.kind(address);
        return kind == AddressRanges.Kind.PRIVATE || kind == AddressRanges.Kind.LOOPBACK;
    }

    private static String describe(InetAddress address) {
        return "a " + AddressRanges.kind(address).wire() + " address (" + address.getHostAddress() + ")";
    }
}
