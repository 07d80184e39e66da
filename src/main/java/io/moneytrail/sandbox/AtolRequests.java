package io.moneytrail.sandbox;

import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads a registration request of ATOL Online v5 ({@code POST /{group_code}/{operation}}) the
 * way ATOL's schema does, and names every field that breaks it: ATOL answers error 32, "Ошибка
 * валидации входного чека. Ошибочные поля : …". {@code sell} and {@code sell_refund} carry a
 * {@code receipt}, the corrections a {@code correction} (FFD 1.2: with items, payments and
 * {@code correction_info}). Limits are the documented ones: external_id up to 128 characters,
 * 1–100 items, 1–10 payments, names up to 128 characters, sums up to 42 949 672.95 with two
 * decimals, quantities up to 99 999.999 with three.
 */
final class AtolRequests {

    static final Set<String> OPERATIONS = Set.of("sell", "sell_refund", "sell_correction", "sell_refund_correction");
    /** Operations ATOL has that this sandbox does not take (answered 31). */
    static final Set<String> NOT_IN_SANDBOX = Set.of("buy", "buy_refund", "buy_correction", "buy_refund_correction");

    static final Set<String> SNO = Set.of("osn", "usn_income", "usn_income_outcome", "esn", "patent");
    static final Set<String> VAT_TYPES = Set.of("none", "vat0", "vat5", "vat7", "vat10", "vat20", "vat22",
            "vat105", "vat107", "vat110", "vat120", "vat122");
    static final Set<String> PAYMENT_METHODS = Set.of("full_prepayment", "prepayment", "advance", "full_payment",
            "partial_payment", "credit", "credit_payment");
    /** v5 (FFD 1.2) units of measure, tag 2108: 0 = piece … 255 = other. */
    static final Set<Integer> MEASURES = Set.of(0, 10, 11, 12, 20, 21, 22, 30, 31, 32, 40, 41, 42, 50, 51, 70, 71,
            72, 73, 80, 81, 82, 83, 255);
    static final Set<String> CORRECTION_TYPES = Set.of("self", "instruction");

    static final int EXTERNAL_ID_MAX = 128;
    static final int ITEMS_MAX = 100;
    static final int PAYMENTS_MAX = 10;
    static final int VATS_MAX = 12;
    static final int NAME_MAX = 128;
    static final int EMAIL_MAX = 64;
    static final int PHONE_MAX = 19;
    static final int PAYMENT_ADDRESS_MAX = 256;
    static final int CALLBACK_URL_MAX = 256;
    static final int CASHIER_MAX = 64;
    static final BigDecimal SUM_MAX = new BigDecimal("42949672.95");
    static final BigDecimal QUANTITY_MAX = new BigDecimal("99999.999");

    private static final DateTimeFormatter STRICT_TIME =
            DateTimeFormatter.ofPattern("dd.MM.uuuu HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter STRICT_DATE =
            DateTimeFormatter.ofPattern("dd.MM.uuuu").withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2}:\\d{2}");
    private static final Pattern DATE = Pattern.compile("\\d{2}\\.\\d{2}\\.\\d{4}");
    private static final Pattern INN = Pattern.compile("\\d{10}|\\d{12}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern PHONE = Pattern.compile("\\+?\\d{1,18}");

    /** What the sandbox keeps of a valid request: enough to settle it as a cash register would. */
    record Document(String externalId, String callbackUrl, JsonNode total, BigDecimal totalValue,
                    BigDecimal itemsSum, BigDecimal paymentsSum, BigDecimal nonCashSum, List<Line> lines) {
    }

    /** One item, for the receipt page. */
    record Line(String name, BigDecimal price, BigDecimal quantity, BigDecimal sum, String vat) {
    }

    private final List<String> bad = new ArrayList<>();

    private AtolRequests() {
    }

    /** The document, or {@link AtolWire.AtolError} 32 naming every field that is wrong. */
    static Document read(String operation, JsonNode body) {
        return new AtolRequests().document(operation, body);
    }

    private Document document(String operation, JsonNode body) {
        String externalId = string(body, "external_id", EXTERNAL_ID_MAX, true);
        String timestamp = string(body, "timestamp", 19, true);
        if (timestamp != null && !validTimestamp(timestamp)) {
            bad.add("timestamp");
        }
        String callbackUrl = null;
        JsonNode service = body.get("service");
        if (service != null && !service.isNull()) {
            if (!service.isObject()) {
                bad.add("service");
            } else {
                callbackUrl = string(service, "callback_url", CALLBACK_URL_MAX, false, "service.callback_url");
                if (callbackUrl != null && !callbackUrl.isEmpty() && !httpUrl(callbackUrl)) {
                    bad.add("service.callback_url");
                }
                if (callbackUrl != null && callbackUrl.isEmpty()) {
                    callbackUrl = null;
                }
            }
        }
        boolean correction = operation.endsWith("_correction");
        String part = correction ? "correction" : "receipt";
        String other = correction ? "receipt" : "correction";
        if (body.has(other) && !body.get(other).isNull()) {
            bad.add(other);
        }
        JsonNode document = body.get(part);
        if (document == null || !document.isObject()) {
            bad.add(part);
            throw refusal();
        }
        JsonNode client = document.get("client");
        if (!correction || (client != null && !client.isNull())) {
            client(client, part + ".client");
        }
        company(document.get("company"), part + ".company");
        if (correction) {
            correctionInfo(document.get("correction_info"), part + ".correction_info");
        }
        List<Line> lines = new ArrayList<>();
        BigDecimal itemsSum = items(document.get("items"), part + ".items", lines);
        BigDecimal[] payments = payments(document.get("payments"), part + ".payments");
        vats(document.get("vats"), part + ".vats");
        JsonNode total = document.get("total");
        BigDecimal totalValue = money(total, part + ".total", true);
        string(document, "cashier", CASHIER_MAX, false, part + ".cashier");
        if (!bad.isEmpty()) {
            throw refusal();
        }
        return new Document(externalId, callbackUrl, total, totalValue, itemsSum, payments[0], payments[1], lines);
    }

    private AtolWire.AtolError refusal() {
        return new AtolWire.AtolError(AtolWire.Code.INCOMING_VALIDATION, null, "fail", String.join(", ", bad));
    }

    private void client(JsonNode client, String path) {
        if (client == null || !client.isObject()) {
            bad.add(path);
            return;
        }
        String email = string(client, "email", EMAIL_MAX, false, path + ".email");
        String phone = string(client, "phone", PHONE_MAX, false, path + ".phone");
        if (email != null && !EMAIL.matcher(email).matches()) {
            bad.add(path + ".email");
        }
        if (phone != null && !PHONE.matcher(phone).matches()) {
            bad.add(path + ".phone");
        }
        if ((email == null || email.isEmpty()) && (phone == null || phone.isEmpty())) {
            bad.add(path + ".email|phone"); // 54-FZ: the receipt goes to an e-mail or a phone
        }
        string(client, "name", 256, false, path + ".name");
        String inn = string(client, "inn", 12, false, path + ".inn");
        if (inn != null && !INN.matcher(inn).matches()) {
            bad.add(path + ".inn");
        }
    }

    private void company(JsonNode company, String path) {
        if (company == null || !company.isObject()) {
            bad.add(path);
            return;
        }
        String email = string(company, "email", EMAIL_MAX, true, path + ".email");
        if (email != null && !EMAIL.matcher(email).matches()) {
            bad.add(path + ".email");
        }
        String sno = string(company, "sno", 32, false, path + ".sno");
        if (sno != null && !SNO.contains(sno)) {
            bad.add(path + ".sno");
        }
        String inn = string(company, "inn", 12, true, path + ".inn");
        if (inn != null && !INN.matcher(inn).matches()) {
            bad.add(path + ".inn");
        }
        string(company, "payment_address", PAYMENT_ADDRESS_MAX, true, path + ".payment_address");
    }

    private void correctionInfo(JsonNode info, String path) {
        if (info == null || !info.isObject()) {
            bad.add(path);
            return;
        }
        String type = string(info, "type", 16, true, path + ".type");
        if (type != null && !CORRECTION_TYPES.contains(type)) {
            bad.add(path + ".type");
        }
        String date = string(info, "base_date", 10, true, path + ".base_date");
        if (date != null && !validDate(date)) {
            bad.add(path + ".base_date");
        }
        string(info, "base_number", 32, false, path + ".base_number");
    }

    private BigDecimal items(JsonNode items, String path, List<Line> lines) {
        BigDecimal sum = BigDecimal.ZERO;
        if (items == null || !items.isArray() || items.isEmpty() || items.size() > ITEMS_MAX) {
            bad.add(path);
            return sum;
        }
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String at = path + "[" + i + "]";
            if (!item.isObject()) {
                bad.add(at);
                continue;
            }
            String name = string(item, "name", NAME_MAX, true, at + ".name");
            BigDecimal price = money(item.get("price"), at + ".price", true);
            BigDecimal quantity = quantity(item.get("quantity"), at + ".quantity");
            BigDecimal lineSum = money(item.get("sum"), at + ".sum", true);
            Integer measure = integer(item.get("measure"), at + ".measure", true);
            if (measure != null && !MEASURES.contains(measure)) {
                bad.add(at + ".measure");
            }
            String method = string(item, "payment_method", 32, true, at + ".payment_method");
            if (method != null && !PAYMENT_METHODS.contains(method)) {
                bad.add(at + ".payment_method");
            }
            Integer object = integer(item.get("payment_object"), at + ".payment_object", true);
            if (object != null && !((object >= 1 && object <= 27) || (object >= 30 && object <= 33))) {
                bad.add(at + ".payment_object");
            }
            String vatType = vat(item.get("vat"), at + ".vat");
            if (lineSum != null) {
                sum = sum.add(lineSum);
            }
            lines.add(new Line(name, price, quantity, lineSum, vatType));
        }
        return sum;
    }

    /** {@code [sum of all payments, sum of the non-cash ones (types 1–9)]}. */
    private BigDecimal[] payments(JsonNode payments, String path) {
        BigDecimal all = BigDecimal.ZERO;
        BigDecimal nonCash = BigDecimal.ZERO;
        if (payments == null || !payments.isArray() || payments.isEmpty() || payments.size() > PAYMENTS_MAX) {
            bad.add(path);
            return new BigDecimal[] {all, nonCash};
        }
        for (int i = 0; i < payments.size(); i++) {
            JsonNode payment = payments.get(i);
            String at = path + "[" + i + "]";
            if (!payment.isObject()) {
                bad.add(at);
                continue;
            }
            Integer type = integer(payment.get("type"), at + ".type", true);
            if (type != null && (type < 0 || type > 9)) {
                bad.add(at + ".type");
            }
            BigDecimal sum = money(payment.get("sum"), at + ".sum", true);
            if (sum != null) {
                all = all.add(sum);
                if (type != null && type > 0) {
                    nonCash = nonCash.add(sum);
                }
            }
        }
        return new BigDecimal[] {all, nonCash};
    }

    private void vats(JsonNode vats, String path) {
        if (vats == null || vats.isNull()) {
            return;
        }
        if (!vats.isArray() || vats.isEmpty() || vats.size() > VATS_MAX) {
            bad.add(path);
            return;
        }
        for (int i = 0; i < vats.size(); i++) {
            vat(vats.get(i), path + "[" + i + "]");
        }
    }

    /** {@code {"type": "vat22", "sum": 18.00}}: type required, sum optional. */
    private String vat(JsonNode vat, String path) {
        if (vat == null || !vat.isObject()) {
            bad.add(path);
            return null;
        }
        String type = string(vat, "type", 16, true, path + ".type");
        if (type != null && !VAT_TYPES.contains(type)) {
            bad.add(path + ".type");
        }
        money(vat.get("sum"), path + ".sum", false);
        return type;
    }

    // ---------------------------------------------------------------- typed fields

    private String string(JsonNode parent, String field, int max, boolean required) {
        return string(parent, field, max, required, field);
    }

    private String string(JsonNode parent, String field, int max, boolean required, String path) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                bad.add(path);
            }
            return null;
        }
        if (!value.isString() || value.stringValue().length() > max
                || (required && value.stringValue().isBlank())) {
            bad.add(path);
            return null;
        }
        return value.stringValue();
    }

    private BigDecimal money(JsonNode value, String path, boolean required) {
        BigDecimal number = number(value, path, required);
        if (number == null) {
            return null;
        }
        if (number.signum() < 0 || number.compareTo(SUM_MAX) > 0 || decimals(number) > 2) {
            bad.add(path);
            return null;
        }
        return number;
    }

    private BigDecimal quantity(JsonNode value, String path) {
        BigDecimal number = number(value, path, true);
        if (number == null) {
            return null;
        }
        if (number.signum() <= 0 || number.compareTo(QUANTITY_MAX) > 0 || decimals(number) > 3) {
            bad.add(path);
            return null;
        }
        return number;
    }

    private BigDecimal number(JsonNode value, String path, boolean required) {
        if (value == null || value.isNull()) {
            if (required) {
                bad.add(path);
            }
            return null;
        }
        if (!value.isNumber()) {
            bad.add(path); // "1598.00" as a string is not ATOL's number
            return null;
        }
        return value.decimalValue();
    }

    private Integer integer(JsonNode value, String path, boolean required) {
        if (value == null || value.isNull()) {
            if (required) {
                bad.add(path);
            }
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            bad.add(path); // v5: measure and payment_object are integers, not v4's strings
            return null;
        }
        return value.intValue();
    }

    private static int decimals(BigDecimal number) {
        return Math.max(0, number.stripTrailingZeros().scale());
    }

    static boolean validTimestamp(String text) {
        if (!TIMESTAMP.matcher(text).matches()) {
            return false;
        }
        try {
            LocalDateTime.parse(text, STRICT_TIME);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean validDate(String text) {
        if (!DATE.matcher(text).matches()) {
            return false;
        }
        try {
            STRICT_DATE.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean httpUrl(String text) {
        try {
            URI uri = new URI(text);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
