package io.moneytrail.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Component;

/**
 * Who sent a request: the connection's peer, unless that peer is one of our own proxies
 * ({@code moneytrail.trusted-proxies}, {@code MONEYTRAIL_TRUSTED_PROXIES}: addresses or CIDR
 * ranges). Then {@code X-Forwarded-For} is read from the right, skipping trusted proxies, and
 * the first address not ours is the client. A header from anyone else is ignored, so a
 * stranger cannot claim to be a provider's network by writing a header.
 */
@Component
class ClientAddress {

    static final String FORWARDED_FOR = "X-Forwarded-For";

    private final List<IpAddressMatcher> trustedProxies;

    ClientAddress(@Value("${moneytrail.trusted-proxies:}") List<String> trustedProxies) {
        List<IpAddressMatcher> matchers = new ArrayList<>();
        for (String proxy : trustedProxies) {
            if (!proxy.isBlank()) {
                try {
                    matchers.add(new IpAddressMatcher(proxy.strip()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("MONEYTRAIL_TRUSTED_PROXIES: '" + proxy.strip()
                            + "' is not an IP address or CIDR range", e);
                }
            }
        }
        this.trustedProxies = List.copyOf(matchers);
    }

    String of(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        if (!trusted(peer)) {
            return peer;
        }
        String client = peer;
        List<String> forwarded = new ArrayList<>();
        for (String header : java.util.Collections.list(request.getHeaders(FORWARDED_FOR))) {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) {
                    forwarded.add(hop.strip());
                }
            }
        }
        for (int i = forwarded.size() - 1; i >= 0; i--) {
            client = forwarded.get(i);
            if (!trusted(client)) {
                break;
            }
        }
        return client;
    }

    private boolean trusted(String address) {
        for (IpAddressMatcher proxy : trustedProxies) {
            try {
                if (proxy.matches(address)) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                return false; // not an address at all: certainly not one of ours
            }
        }
        return false;
    }
}
