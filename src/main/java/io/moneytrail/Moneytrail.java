package io.moneytrail;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The Spring Boot application. The jar's entry point is {@link io.moneytrail.cli.Main}, which
 * serves by default and runs subcommands; this {@code main} only serves (handy in an IDE).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class Moneytrail {

    public static void main(String[] args) {
        SpringApplication.run(Moneytrail.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Background jobs (webhook retries, the trial balance check, …) run on a schedule; one-shot
     * commands such as {@code export} start the context with {@code moneytrail.scheduling.enabled=false}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "moneytrail.scheduling.enabled", havingValue = "true", matchIfMissing = true)
    @EnableScheduling
    static class Scheduling {
    }
}
