package io.moneytrail;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The Spring Boot application. The jar's entry point is {@link io.moneytrail.cli.Main}, which
 * serves by default and runs subcommands; this {@code main} only serves (handy in an IDE).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class Moneytrail {

    public static void main(String[] args) {
        SpringApplication.run(Moneytrail.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
