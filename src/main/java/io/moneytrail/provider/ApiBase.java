package io.moneytrail.provider;

import java.net.URI;
import org.springframework.core.env.Environment;

/**
 * Where an adapter sends its calls. Blank means the provider's production host. A value
 * starting with {@code /} (such as {@code /sandbox/stripe}) means this process's own address:
 * the sandbox's dialect of that provider, served in the same process. Its port is only known
 * once the web server has started (tests use a random one), so it is resolved at each use.
 */
public final class ApiBase {

    private static final String DEFAULT_PORT = "8080";

    private final String configured;
    private final String productionDefault;
    private final Environment environment;

    private ApiBase(String configured, String productionDefault, Environment environment) {
        this.configured = configured == null || configured.isBlank() ? null : stripSlash(configured.strip());
        this.productionDefault = stripSlash(productionDefault);
        this.environment = environment;
        if (this.configured != null && !this.configured.startsWith("/")) {
            URI uri = URI.create(this.configured);
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("an API base is an absolute http(s) URL or a path of this "
                        + "process starting with '/', not '" + configured + "'");
            }
        }
    }

    public static ApiBase of(String configured, String productionDefault, Environment environment) {
        return new ApiBase(configured, productionDefault, environment);
    }

    /** The base URL now, without a trailing slash. */
    public String resolve() {
        if (configured == null) {
            return productionDefault;
        }
        if (configured.startsWith("/")) {
            String port = environment.getProperty("local.server.port",
                    environment.getProperty("server.port", DEFAULT_PORT));
            return "http://localhost:" + port + configured;
        }
        return configured;
    }

    /** Whether calls go to this process's own sandbox dialect rather than the provider. */
    public boolean local() {
        return configured != null && (configured.startsWith("/") || configured.contains("://localhost")
                || configured.contains("://127.0.0.1"));
    }

    private static String stripSlash(String url) {
        return url.length() > 1 && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
