package io.moneytrail.ledger;

/** The five account types of double entry; the first segment of an account code names it. */
public enum AccountType {
    ASSET("assets"), LIABILITY("liabilities"), INCOME("income"), EXPENSE("expenses"), EQUITY("equity");

    private final String codePrefix;

    AccountType(String codePrefix) {
        this.codePrefix = codePrefix;
    }

    public String codePrefix() {
        return codePrefix;
    }

    public String wire() {
        return name().toLowerCase();
    }

    public static AccountType ofCode(String code) {
        String head = code.contains(":") ? code.substring(0, code.indexOf(':')) : code;
        for (AccountType type : values()) {
            if (type.codePrefix.equals(head)) {
                return type;
            }
        }
        throw new IllegalArgumentException("account code " + code + " does not start with a type");
    }
}
