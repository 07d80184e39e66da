package io.moneytrail.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.moneytrail.Moneytrail;
import io.moneytrail.database.DatabaseEndpoint;
import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application context of a command that works against the configured database (export,
 * reconcile): no web server, no sandbox, no background jobs, quiet logs.
 */
final class DatabaseContext {

    private DatabaseContext() {
    }

    /**
     * A small pool on the same database as its owner (a bench's temporary database: its own
     * tables, COPY, CHECKPOINT, VACUUM), where the service's runtime role may only write rows.
     */
    static HikariDataSource ownerPool(ConfigurableApplicationContext context, String name, int size) {
        DatabaseEndpoint owner = context.getBean(DatabaseEndpoint.class).owner();
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(owner.jdbcUrl());
        config.setUsername(owner.username());
        config.setPassword(owner.password());
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    /** Starts it; a failure to start throws, to be reported by the command in one line. */
    static ConfigurableApplicationContext open(List<String> springArgs) {
        return new SpringApplicationBuilder(Moneytrail.class)
                .web(WebApplicationType.NONE)
                .properties("moneytrail.sandbox.enabled=false", "moneytrail.scheduling.enabled=false",
                        "spring.main.log-startup-info=false", "logging.level.root=warn",
                        // a failed start is reported by the command in one line, not as pages of stack trace
                        "logging.level.org.springframework.context=error",
                        "logging.level.org.springframework.boot.SpringApplication=off")
                .run(springArgs.toArray(String[]::new));
    }
}
