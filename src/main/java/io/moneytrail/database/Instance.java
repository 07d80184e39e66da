package io.moneytrail.database;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.springframework.stereotype.Component;

/**
 * This process among the instances sharing one database: a random name ({@code ins_} and 8 hex
 * digits) chosen at start, which the background workers write where they claim or do work
 * (who delivered an event, who checked a payment, who holds a lease), so operators and tests can
 * tell the instances apart. One per application context, not per JVM: tests run two in one JVM.
 */
@Component
public class Instance {

    private final String id;

    Instance() {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        this.id = "ins_" + HexFormat.of().formatHex(random);
    }

    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }
}
