package io.moneytrail.onec;

import io.moneytrail.order.Order;
import io.moneytrail.order.OrderLine;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.order.PaymentStatus;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes orders as a CommerceML 2.10 {@code КоммерческаяИнформация}, one {@code Документ}
 * ({@code ХозОперация} "Заказ товара", {@code Роль} "Продавец") per order, with the JDK's StAX
 * writer (it escapes text and, in windows-1251, writes a character the charset lacks as a
 * character reference). Element order follows the schema's sequence for {@code Документ} and
 * {@code Товар}. No namespace on the root, as 1C-Bitrix's order export writes it, which 1C's
 * exchange reads. Sums are major units with a dot and the currency's decimals ({@code 122.00}).
 */
final class CommerceMlWriter {

    static final String SCHEMA_VERSION = "2.10";
    static final String ROOT = "КоммерческаяИнформация";
    static final String OPERATION_ORDER = "Заказ товара";
    static final String ROLE_SELLER = "Продавец";
    static final String ROLE_BUYER = "Покупатель";
    static final String VAT = "НДС";
    static final String NO_VAT = "Без налога";

    /** The names of the order's requisites ({@code ЗначенияРеквизитов}) this export writes. */
    static final String REQ_ORDER_STATUS = "Статус заказа";
    static final String REQ_PAYMENT_STATUS = "Статус оплаты";
    static final String REQ_PAID = "Заказ оплачен";
    static final String REQ_PAYMENT_METHOD = "Метод оплаты";
    static final String REQ_PAYMENT_DATE = "Дата оплаты";
    static final String REQ_PAYMENT_DOCUMENT = "Номер платежного документа";
    static final String REQ_AMOUNT_PAID = "Сумма оплаты";
    static final String REQ_CANCELLED = "Отменен";
    static final String REQ_FINAL = "Финальный статус";

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter REQ_DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    /** An order with what the payment module knows of it, as one document says it. */
    record Exported(Order order, String provider, Instant paidAt, String paymentDocument, long amountPaidMinor) {
    }

    private final Charset charset;
    private final ZoneId zone;

    CommerceMlWriter(Charset charset, ZoneId zone) {
        this.charset = charset;
        this.zone = zone;
    }

    byte[] write(List<Exported> orders, Instant at) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            XMLStreamWriter xml = FACTORY.createXMLStreamWriter(bytes, charset.name());
            xml.writeStartDocument(charset.name(), "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement(ROOT);
            xml.writeAttribute("ВерсияСхемы", SCHEMA_VERSION);
            xml.writeAttribute("ДатаФормирования", DATE_TIME.format(at.atZone(zone)));
            xml.writeAttribute("ФорматДаты", "ДФ=yyyy-MM-dd; ДЛФ=DT");
            xml.writeAttribute("ФорматВремени", "ДФ=ЧЧ:мм:сс; ДЛФ=T");
            xml.writeAttribute("РазделительДатаВремя", "T");
            xml.writeAttribute("ФорматСуммы", "ЧЦ=18; ЧДЦ=2; ЧРД=.");
            xml.writeAttribute("ФорматКоличества", "ЧЦ=18; ЧДЦ=0; ЧРД=.");
            for (Exported order : orders) {
                document(xml, order);
            }
            newline(xml, 0);
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing the CommerceML document failed: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    private void document(XMLStreamWriter xml, Exported exported) throws XMLStreamException {
        Order order = exported.order();
        int digits = order.amountTotal().currency().getDefaultFractionDigits();
        newline(xml, 1);
        xml.writeStartElement("Документ");
        leaf(xml, 2, "Ид", order.id());
        leaf(xml, 2, "Номер", order.reference() == null || order.reference().isBlank() ? order.id() : order.reference());
        leaf(xml, 2, "Дата", DATE.format(order.created().atZone(zone)));
        leaf(xml, 2, "ХозОперация", OPERATION_ORDER);
        leaf(xml, 2, "Роль", ROLE_SELLER);
        leaf(xml, 2, "Валюта", order.currencyCode());
        leaf(xml, 2, "Курс", "1");
        leaf(xml, 2, "Сумма", amount(order.amountTotal().amountMinor(), digits));
        customer(xml, order);
        leaf(xml, 2, "Время", TIME.format(order.created().atZone(zone)));
        boolean taxed = order.lines().stream().anyMatch(line -> line.vatRate() != null);
        if (taxed) {
            open(xml, 2, "Налоги");
            tax(xml, 3, order.vatTotalMinor(), digits, null);
            close(xml, 2);
        }
        open(xml, 2, "Товары");
        for (OrderLine line : order.lines()) {
            line(xml, line, digits);
        }
        close(xml, 2);
        requisites(xml, exported, digits);
        close(xml, 1);
    }

    private void customer(XMLStreamWriter xml, Order order) throws XMLStreamException {
        String email = blankToNull(order.customerEmail());
        String phone = blankToNull(order.customerPhone());
        String name = email != null ? email : phone != null ? phone : ROLE_BUYER;
        open(xml, 2, "Контрагенты");
        open(xml, 3, "Контрагент");
        leaf(xml, 4, "Ид", email != null ? email.toLowerCase(java.util.Locale.ROOT)
                : phone != null ? phone : order.id() + "#buyer");
        leaf(xml, 4, "Наименование", name);
        leaf(xml, 4, "ПолноеНаименование", name);
        if (email != null || phone != null) {
            open(xml, 4, "Контакты");
            if (email != null) {
                contact(xml, "Почта", email);
            }
            if (phone != null) {
                contact(xml, "ТелефонРабочий", phone);
            }
            close(xml, 4);
        }
        leaf(xml, 4, "Роль", ROLE_BUYER);
        close(xml, 3);
        close(xml, 2);
    }

    private void contact(XMLStreamWriter xml, String type, String value) throws XMLStreamException {
        open(xml, 5, "Контакт");
        leaf(xml, 6, "Тип", type);
        leaf(xml, 6, "Значение", value);
        close(xml, 5);
    }

    private void line(XMLStreamWriter xml, OrderLine line, int digits) throws XMLStreamException {
        open(xml, 3, "Товар");
        leaf(xml, 4, "Ид", line.sku());
        leaf(xml, 4, "Артикул", line.sku());
        leaf(xml, 4, "Наименование", line.name());
        newline(xml, 4);
        xml.writeStartElement("БазоваяЕдиница");
        xml.writeAttribute("Код", "796");
        xml.writeAttribute("НаименованиеПолное", "Штука");
        xml.writeAttribute("МеждународноеСокращение", "PCE");
        xml.writeCharacters("шт");
        xml.writeEndElement();
        open(xml, 4, "СтавкиНалогов");
        open(xml, 5, "СтавкаНалога");
        leaf(xml, 6, "Наименование", VAT);
        leaf(xml, 6, "Ставка", line.vatRate() == null ? NO_VAT : String.valueOf(line.vatRate()));
        close(xml, 5);
        close(xml, 4);
        open(xml, 4, "ЗначенияРеквизитов");
        requisite(xml, 5, "ВидНоменклатуры", "Товар");
        requisite(xml, 5, "ТипНоменклатуры", "Товар");
        close(xml, 4);
        leaf(xml, 4, "ЦенаЗаЕдиницу", amount(line.unitAmount(), digits));
        leaf(xml, 4, "Количество", String.valueOf(line.quantity()));
        leaf(xml, 4, "Сумма", amount(line.amountTotal(), digits));
        if (line.vatRate() != null) {
            open(xml, 4, "Налоги");
            tax(xml, 5, line.amountVat(), digits, line.vatRate());
            close(xml, 4);
        }
        close(xml, 3);
    }

    private void tax(XMLStreamWriter xml, int depth, long vatMinor, int digits, Integer rate) throws XMLStreamException {
        open(xml, depth, "Налог");
        leaf(xml, depth + 1, "Наименование", VAT);
        leaf(xml, depth + 1, "УчтеноВСумме", "true");
        leaf(xml, depth + 1, "Сумма", amount(vatMinor, digits));
        if (rate != null) {
            leaf(xml, depth + 1, "Ставка", String.valueOf(rate));
        }
        close(xml, depth);
    }

    private void requisites(XMLStreamWriter xml, Exported exported, int digits) throws XMLStreamException {
        Order order = exported.order();
        PaymentStatus paid = order.money() == null ? PaymentStatus.UNPAID : order.money().paymentStatus();
        open(xml, 2, "ЗначенияРеквизитов");
        requisite(xml, 3, REQ_ORDER_STATUS, order.status().wire());
        requisite(xml, 3, REQ_PAYMENT_STATUS, paid.wire());
        requisite(xml, 3, REQ_PAID, String.valueOf(paid == PaymentStatus.PAID || paid == PaymentStatus.OVERPAID));
        if (exported.provider() != null) {
            requisite(xml, 3, REQ_PAYMENT_METHOD, exported.provider());
        }
        if (exported.paidAt() != null) {
            requisite(xml, 3, REQ_PAYMENT_DATE, REQ_DATE_TIME.format(exported.paidAt().atZone(zone)));
        }
        if (exported.paymentDocument() != null) {
            requisite(xml, 3, REQ_PAYMENT_DOCUMENT, exported.paymentDocument());
        }
        requisite(xml, 3, REQ_AMOUNT_PAID, amount(exported.amountPaidMinor(), digits));
        requisite(xml, 3, REQ_CANCELLED, String.valueOf(order.status() == OrderStatus.CANCELLED));
        requisite(xml, 3, REQ_FINAL, String.valueOf(order.status() != OrderStatus.OPEN));
        close(xml, 2);
    }

    private void requisite(XMLStreamWriter xml, int depth, String name, String value) throws XMLStreamException {
        open(xml, depth, "ЗначениеРеквизита");
        leaf(xml, depth + 1, "Наименование", name);
        leaf(xml, depth + 1, "Значение", value);
        close(xml, depth);
    }

    /** Minor units as major units with a dot and the currency's decimals: 12200 RUB is {@code 122.00}. */
    static String amount(long minor, int digits) {
        return BigDecimal.valueOf(minor, Math.max(digits, 0)).toPlainString();
    }

    private static void leaf(XMLStreamWriter xml, int depth, String name, String text) throws XMLStreamException {
        newline(xml, depth);
        xml.writeStartElement(name);
        xml.writeCharacters(xmlText(text));
        xml.writeEndElement();
    }

    /**
     * {@code text} with every character XML 1.0 does not allow (control characters other than tab,
     * line feed and carriage return, lone surrogates, U+FFFE and U+FFFF) replaced by U+FFFD. The
     * StAX writer escapes markup but passes such characters through, and one of them in a single
     * customer's name would make the whole exchange file unreadable to 1C. Hand-written because
     * the escaping libraries at hand (commons-text's escapeXml10) also escape markup, which the
     * writer already does.
     */
    static String xmlText(String text) {
        StringBuilder clean = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int width = Character.charCount(c);
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            if (!allowed && clean == null) {
                clean = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (clean != null) {
                if (allowed) {
                    clean.appendCodePoint(c);
                } else {
                    clean.append('\uFFFD');
                }
            }
            i += width;
        }
        return clean == null ? text : clean.toString();
    }

    private static void open(XMLStreamWriter xml, int depth, String name) throws XMLStreamException {
        newline(xml, depth);
        xml.writeStartElement(name);
    }

    private static void close(XMLStreamWriter xml, int depth) throws XMLStreamException {
        newline(xml, depth);
        xml.writeEndElement();
    }

    private static void newline(XMLStreamWriter xml, int depth) throws XMLStreamException {
        xml.writeCharacters("\n" + "  ".repeat(depth));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
