package io.moneytrail.cli;

import io.moneytrail.Moneytrail;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.boot.SpringApplication;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code moneytrail sandbox [--server.port=…] [--moneytrail.data-dir=…]}: runs the sandbox
 * payment provider as its own process with its own persistent state, so that a Moneytrail
 * that is killed does not take "the provider" down with it. Point Moneytrail at it with
 * {@code --moneytrail.sandbox.enabled=false --moneytrail.provider.sandbox.base-url=http://host:port/sandbox},
 * and point the sandbox's webhooks at Moneytrail with {@code --moneytrail.sandbox.webhook-url=…}.
 */
@Command(name = "sandbox", description = "Run only the sandbox payment provider, as its own process.")
final class SandboxCommand implements Callable<Integer> {

    @CommandLine.Unmatched
    String[] springArgs = new String[0];

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(Arrays.asList(springArgs));
        args.add("--moneytrail.provider.sandbox.enabled=false");
        args.add("--moneytrail.sandbox.enabled=true");
        SpringApplication.run(Moneytrail.class, args.toArray(String[]::new));
        return Cli.SERVING;
    }
}
