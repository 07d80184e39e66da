package io.moneytrail.onec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moneytrail.money.Money;
import io.moneytrail.order.Order;
import io.moneytrail.order.OrderLine;
import io.moneytrail.order.OrderMoney;
import io.moneytrail.order.OrderStatus;
import io.moneytrail.order.PaymentStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The CommerceML document as written and read, without the service: encodings, amounts, hostile files. */
class CommerceMlTest {

    static final Charset WINDOWS_1251 = Charset.forName("windows-1251");

    static Order order(String currency, List<OrderLine> lines) {
        long total = lines.stream().mapToLong(OrderLine::amountTotal).sum();
        long vat = lines.stream().mapToLong(OrderLine::amountVat).sum();
        return new Order("ord_test1", "Заказ-77", Money.of(total, currency), vat, OrderStatus.OPEN, "Buyer@Example.com",
                "+7 900 000-00-00", Map.of(), lines, new OrderMoney(0, 0, total, 0, 0, PaymentStatus.PAID),
                Instant.parse("2026-12-01T20:15:30Z"));
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = CommerceMlTest.class.getResourceAsStream("/onec/" + name)) {
            return in.readAllBytes();
        }
    }

    static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    static String text(Element parent, String name) {
        return parent.getElementsByTagName(name).item(0).getTextContent();
    }

    @Test
    void windows_1251_output_is_declared_encoded_and_keeps_what_the_charset_lacks_as_character_references() throws Exception {
        Order order = order("RUB", List.of(new OrderLine("SKU-1", "Чайник 🫖 электрический", 2, 6100, 22, 12200, 2200)));
        byte[] xml = new CommerceMlWriter(WINDOWS_1251, ZoneId.of("Europe/Moscow"))
                .write(List.of(new CommerceMlWriter.Exported(order, "yookassa", Instant.parse("2026-12-01T20:16:00Z"),
                        "2f0e4b1c-000f-5000-9000-1b2c3d4e5f60", 12200)), Instant.parse("2026-12-01T21:00:00Z"));

        String head = new String(xml, 0, 60, StandardCharsets.US_ASCII);
        assertThat(head).startsWith("<?xml version=\"1.0\" encoding=\"windows-1251\"?>");
        // Cyrillic is one byte each in windows-1251: "Чайник" is D7 E0 E9 ED E8 EA
        assertThat(indexOf(xml, new byte[] {(byte) 0xD7, (byte) 0xE0, (byte) 0xE9, (byte) 0xED, (byte) 0xE8, (byte) 0xEA}))
                .isPositive();
        assertThat(indexOf(xml, "Чайник".getBytes(StandardCharsets.UTF_8))).isNegative();
        Document document = parse(xml);
        Element root = document.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("КоммерческаяИнформация");
        assertThat(root.getAttribute("ВерсияСхемы")).isEqualTo("2.10");
        assertThat(root.getAttribute("ДатаФормирования")).isEqualTo("2026-12-02T00:00:00");
        Element product = (Element) document.getElementsByTagName("Товар").item(0);
        assertThat(text(product, "Наименование")).isEqualTo("Чайник 🫖 электрический");
        assertThat(text(product, "ЦенаЗаЕдиницу")).isEqualTo("61.00");
        assertThat(text(product, "Сумма")).isEqualTo("122.00");
        Element doc = (Element) document.getElementsByTagName("Документ").item(0);
        assertThat(text(doc, "Дата")).isEqualTo("2026-12-01");
        assertThat(text(doc, "Время")).isEqualTo("23:15:30");
        assertThat(text(doc, "Номер")).isEqualTo("Заказ-77");
    }

    @Test
    void characters_xml_does_not_allow_in_a_customers_text_become_replacement_characters_and_the_file_stays_readable()
            throws Exception {
        assertThat(CommerceMlWriter.xmlText("plain \uD83E\uDED6 text")).isEqualTo("plain \uD83E\uDED6 text");
        assertThat(CommerceMlWriter.xmlText("a\uFFFFb\u0001c\uD800d\te")).isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\te");

        Order order = order("RUB", List.of(new OrderLine("SKU-\uFFFE", "Чайник\uFFFF\u0000", 1, 12200, 22, 12200, 2200)));
        for (Charset charset : List.of(StandardCharsets.UTF_8, WINDOWS_1251)) {
            byte[] xml = new CommerceMlWriter(charset, ZoneId.of("Europe/Moscow"))
                    .write(List.of(new CommerceMlWriter.Exported(order, null, null, null, 0)), Instant.now());
            Element product = (Element) parse(xml).getElementsByTagName("Товар").item(0);
            assertThat(text(product, "Наименование")).as(charset.name()).isEqualTo("Чайник\uFFFD\uFFFD");
        }
    }

    @Test
    void utf_8_is_the_default_and_sums_have_the_currencys_decimals_with_a_dot() throws Exception {
        assertThat(CommerceMlWriter.amount(12200, 2)).isEqualTo("122.00");
        assertThat(CommerceMlWriter.amount(5, 2)).isEqualTo("0.05");
        assertThat(CommerceMlWriter.amount(1500, 0)).isEqualTo("1500");
        assertThat(CommerceMlWriter.amount(1234, 3)).isEqualTo("1.234");
        assertThat(new OnecSettings(null, null, null, null).charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(new OnecSettings("windows-1251", null, null, null).charset()).isEqualTo(WINDOWS_1251);
        assertThatThrownBy(() -> new OnecSettings("koi8-r", null, null, null))
                .hasMessageContaining("UTF-8 or windows-1251");

        Order yen = order("JPY", List.of(new OrderLine("SKU-2", "お茶", 3, 500, null, 1500, 0)));
        byte[] xml = new CommerceMlWriter(StandardCharsets.UTF_8, ZoneId.of("UTC"))
                .write(List.of(new CommerceMlWriter.Exported(yen, null, null, null, 0)), Instant.now());
        assertThat(new String(xml, 0, 40, StandardCharsets.UTF_8)).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        Document document = parse(xml);
        Element doc = (Element) document.getElementsByTagName("Документ").item(0);
        assertThat(text(doc, "Сумма")).isEqualTo("1500");
        assertThat(doc.getElementsByTagName("Налог").getLength()).isZero();
        assertThat(text((Element) doc.getElementsByTagName("СтавкаНалога").item(0), "Ставка")).isEqualTo("Без налога");
    }

    @Test
    void a_file_of_1cs_changes_reads_the_same_in_utf_8_with_the_namespace_and_in_windows_1251_without() throws Exception {
        List<CommerceMlReader.Incoming> utf8 = CommerceMlReader.read(resource("changes-from-1c.xml"));
        List<CommerceMlReader.Incoming> windows = CommerceMlReader.read(resource("changes-from-1c-windows-1251.xml"));
        assertThat(windows).isEqualTo(utf8);
        assertThat(utf8).hasSize(2);
        assertThat(utf8.get(0).operation()).isEqualTo("Заказ товара");
        assertThat(utf8.get(0).requisites()).containsEntry("Дата отгрузки по 1С", "2026-12-01T23:04:40");
        assertThat(OnecChanges.wanted(utf8.get(0))).isEqualTo(OnecChanges.Wanted.FULFILL);
        assertThat(OnecChanges.wanted(utf8.get(1))).isEqualTo(OnecChanges.Wanted.CANCEL);
    }

    @Test
    void hostile_and_malformed_files_are_refused_whole_with_a_reason() {
        assertThatThrownBy(() -> CommerceMlReader.read(resource("hostile-xxe.xml"))).isInstanceOf(OnecFailure.class)
                .hasMessageContaining("DTD");
        assertThatThrownBy(() -> CommerceMlReader.read(resource("hostile-billion-laughs.xml")))
                .isInstanceOf(OnecFailure.class).hasMessageContaining("DTD");
        assertThatThrownBy(() -> CommerceMlReader.read(resource("declares-windows-1251-but-utf8.xml")))
                .isInstanceOf(OnecFailure.class).hasMessageContaining("declares encoding windows-1251 but its bytes are UTF-8");
        assertThatThrownBy(() -> CommerceMlReader.read(resource("not-commerceml.xml")))
                .isInstanceOf(OnecFailure.class).hasMessageContaining("not <КоммерческаяИнформация>");
        assertThatThrownBy(() -> CommerceMlReader.read(resource("truncated.xml")))
                .isInstanceOf(OnecFailure.class).hasMessageContaining("not well-formed");
        byte[] utf8InWindowsClothes = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><КоммерческаяИнформация/>"
                .getBytes(WINDOWS_1251);
        assertThatThrownBy(() -> CommerceMlReader.read(utf8InWindowsClothes)).isInstanceOf(OnecFailure.class);
        assertThatThrownBy(() -> CommerceMlReader.read(new byte[0])).isInstanceOf(OnecFailure.class)
                .hasMessageContaining("empty");
        String deep = "<КоммерческаяИнформация>" + "<a>".repeat(40) + "</a>".repeat(40) + "</КоммерческаяИнформация>";
        assertThatThrownBy(() -> CommerceMlReader.read(deep.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(OnecFailure.class).hasMessageContaining("deeper than");
        String koi = "<?xml version=\"1.0\" encoding=\"KOI8-R\"?><КоммерческаяИнформация/>";
        assertThatThrownBy(() -> CommerceMlReader.read(koi.getBytes(Charset.forName("KOI8-R"))))
                .isInstanceOf(OnecFailure.class).hasMessageContaining("UTF-8 and windows-1251");
    }

    @Test
    void an_example_document_for_the_docs_is_written_to_target() throws Exception {
        Order order = order("RUB", List.of(new OrderLine("KETTLE-1", "Чайник электрический", 2, 6100, 22, 12200, 2200),
                new OrderLine("GIFT-0", "Открытка", 1, 150, null, 150, 0)));
        byte[] xml = new CommerceMlWriter(StandardCharsets.UTF_8, ZoneId.of("Europe/Moscow"))
                .write(List.of(new CommerceMlWriter.Exported(order, "yookassa", Instant.parse("2026-12-01T20:16:00Z"),
                        "2f0e4b1c-000f-5000-9000-1b2c3d4e5f60", 12350)), Instant.parse("2026-12-01T21:00:00Z"));
        java.nio.file.Path out = java.nio.file.Path.of("target/onec/example-query.xml");
        java.nio.file.Files.createDirectories(out.getParent());
        java.nio.file.Files.write(out, xml);
        assertThat(parse(xml).getElementsByTagName("Документ").getLength()).isEqualTo(1);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
