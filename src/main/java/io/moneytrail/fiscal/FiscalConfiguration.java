package io.moneytrail.fiscal;

import io.moneytrail.provider.ApiBase;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import tools.jackson.databind.ObjectMapper;

/**
 * Decides at start what this process does about receipts. {@code MONEYTRAIL_FISCAL_PROVIDER} unset:
 * on the embedded default with the in-process sandbox, {@code atol} against the sandbox's ATOL
 * dialect (its well-known test credentials, a test seller), so a newcomer's walk-through shows
 * receipts; with an external database, {@code none}. A real ATOL needs login, password, group, INN,
 * tax system and payment address, or the process refuses to start naming what is missing.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({FiscalProperties.class, AtolProperties.class})
class FiscalConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FiscalConfiguration.class);

    static final Set<String> TAX_SYSTEMS = Set.of("osn", "usn_income", "usn_income_outcome", "esn", "patent");
    /** The sandbox's test seller (a well-formed INN of no real company). */
    static final String SANDBOX_INN = "5544332219";
    static final String SANDBOX_PAYMENT_ADDRESS = "https://shop.example.com";

    @Bean
    FiscalSettings fiscalSettings(FiscalProperties fiscal, AtolProperties atol, Environment environment) {
        String provider = provider(fiscal.provider(), environment);
        FiscalMode mode = FiscalMode.fromWire(fiscal.mode());
        if (provider.equals("none")) {
            log.info("fiscal receipts: off (MONEYTRAIL_FISCAL_PROVIDER=none{})",
                    fiscal.provider() == null ? ", the default with an external database" : "");
            return new FiscalSettings(provider, mode, null);
        }
        boolean yookassa = provider.equals(FiscalSettings.YOOKASSA);
        boolean sandbox = provider.equals("atol") && sandboxBase(atol, environment);
        boolean yookassaSandbox = yookassa && sandboxOn(environment);
        String inn = value(fiscal.inn(), sandbox ? SANDBOX_INN : null);
        String sno = value(fiscal.sno(), sandbox || yookassaSandbox ? "osn" : null);
        String address = value(fiscal.paymentAddress(), sandbox ? SANDBOX_PAYMENT_ADDRESS : null);
        StringBuilder missing = new StringBuilder();
        if (inn == null && !yookassa) {
            missing.append(" MONEYTRAIL_FISCAL_INN");
        }
        if (sno == null) {
            missing.append(" MONEYTRAIL_FISCAL_SNO");
        }
        if (address == null && !yookassa) {
            missing.append(" MONEYTRAIL_FISCAL_PAYMENT_ADDRESS");
        }
        if (provider.equals("atol") && !sandbox) {
            if (atol.login() == null || atol.login().isBlank()) {
                missing.append(" MONEYTRAIL_ATOL_LOGIN");
            }
            if (atol.password() == null || atol.password().isBlank()) {
                missing.append(" MONEYTRAIL_ATOL_PASSWORD");
            }
            if (atol.group() == null || atol.group().isBlank()) {
                missing.append(" MONEYTRAIL_ATOL_GROUP");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("fiscal receipts through " + provider + " need:" + missing
                    + " (or MONEYTRAIL_FISCAL_PROVIDER=none); see docs/fiscal.md");
        }
        if (!TAX_SYSTEMS.contains(sno)) {
            throw new IllegalStateException("MONEYTRAIL_FISCAL_SNO is one of osn, usn_income, usn_income_outcome, esn, "
                    + "patent, not '" + sno + "'");
        }
        boolean yookassaReceipts = yookassa || Boolean.TRUE.equals(fiscal.yookassaReceipts());
        String email = value(fiscal.email(), null);
        if (email == null && !yookassa) {
            email = "noreply@" + host(address);
            log.warn("MONEYTRAIL_FISCAL_EMAIL is not set: receipts name {} as the seller's e-mail (ATOL v5 requires "
                    + "company.email); set it to an address the shop reads", email);
        }
        if (yookassaReceipts) {
            log.info("fiscal receipts: payments through YooKassa get YooKassa's own receipts (tax system {})", sno);
        }
        log.info("fiscal receipts: {} in mode {}{}", provider, mode.name().toLowerCase(Locale.ROOT),
                sandbox ? " (the in-process sandbox's ATOL dialect, test seller INN " + inn + ")" : "");
        return new FiscalSettings(provider, mode, new FiscalCompany(inn, sno, address, email), yookassaReceipts);
    }

    @Bean
    FiscalProvider fiscalProvider(FiscalSettings settings, AtolProperties atol, Environment environment,
                                  ObjectMapper json, Clock clock) {
        if (!settings.provider().equals("atol")) {
            return new NoFiscalProvider("atol"); // YooKassa's own receipts are YooKassaOwnReceipts, a bean of its own
        }
        boolean sandbox = sandboxBase(atol, environment);
        ApiBase base = ApiBase.of(value(atol.apiBase(), sandbox ? AtolProperties.SANDBOX_BASE : null),
                AtolProperties.PRODUCTION_BASE, environment);
        return new AtolOnline(base::resolve, value(atol.login(), AtolProperties.SANDBOX_LOGIN),
                value(atol.password(), AtolProperties.SANDBOX_PASSWORD), value(atol.group(), AtolProperties.SANDBOX_GROUP),
                settings.company(), Duration.ofMillis(atol.connectTimeoutMs()), Duration.ofMillis(atol.readTimeoutMs()),
                json, clock);
    }

    /** The configured provider, or the default: atol on the embedded default with the sandbox, else none. */
    static String provider(String configured, Environment environment) {
        if (configured != null && !configured.isBlank()) {
            String value = configured.strip().toLowerCase(Locale.ROOT);
            if (!Set.of("none", "atol", "yookassa").contains(value)) {
                throw new IllegalStateException("MONEYTRAIL_FISCAL_PROVIDER is none, atol or yookassa, not '"
                        + configured + "'");
            }
            return value;
        }
        return sandboxOn(environment) ? "atol" : "none";
    }

    /** The in-process sandbox serves (embedded database, sandbox not switched off). */
    static boolean sandboxOn(Environment environment) {
        String url = environment.getProperty("moneytrail.db.url");
        String enabled = environment.getProperty("moneytrail.sandbox.enabled");
        if (enabled != null && !enabled.isBlank()) {
            return Boolean.parseBoolean(enabled.strip());
        }
        return url == null || url.isBlank();
    }

    /** ATOL calls go to this process's sandbox dialect: configured so, or by default while the sandbox is on. */
    static boolean sandboxBase(AtolProperties atol, Environment environment) {
        String base = atol.apiBase();
        if (base == null || base.isBlank()) {
            return sandboxOn(environment) && (atol.login() == null || atol.login().isBlank());
        }
        return base.strip().startsWith("/sandbox/") || base.contains("/sandbox/atol/");
    }

    private static String value(String configured, String fallback) {
        return configured == null || configured.isBlank() ? fallback : configured.strip();
    }

    private static String host(String paymentAddress) {
        try {
            String host = URI.create(paymentAddress).getHost();
            if (host != null) {
                return host.startsWith("www.") ? host.substring(4) : host;
            }
        } catch (IllegalArgumentException notAUrl) {
            // a street address: no host to borrow
        }
        throw new IllegalStateException("MONEYTRAIL_FISCAL_EMAIL is not set and MONEYTRAIL_FISCAL_PAYMENT_ADDRESS ('"
                + paymentAddress + "') is not a URL whose host could give noreply@<host>: set MONEYTRAIL_FISCAL_EMAIL");
    }
}
