package io.moneytrail;

import io.moneytrail.cli.Cli;
import java.time.Clock;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Moneytrail: {@code java -jar moneytrail.jar} serves; subcommands do everything else. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class Moneytrail {

    public static void main(String[] args) {
        int exitCode = Cli.run(args);
        if (exitCode != Cli.SERVING) {
            System.exit(exitCode);
        }
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
