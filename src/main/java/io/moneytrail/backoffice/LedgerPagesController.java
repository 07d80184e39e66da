package io.moneytrail.backoffice;

import io.moneytrail.ledger.Balances;
import io.moneytrail.ledger.ChartOfAccounts;
import io.moneytrail.ledger.JournalEntry;
import io.moneytrail.ledger.LedgerExport;
import io.moneytrail.money.Ids;
import io.moneytrail.money.MoneytrailException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The ledger's entries ({@code /admin/ledger/entries}: filtered by account, order and effective
 * date in the store's time zone, oldest first, keyset pages) and its exports as downloads
 * ({@code /admin/ledger/export}: every format the API's {@code /v1/ledger/export} offers, through
 * the same {@link LedgerExport}). The trial balance as of a date is {@link QueuesController}'s.
 */
@Controller
class LedgerPagesController {

    static final int PAGE_SIZE = 50;

    private final Balances balances;
    private final ChartOfAccounts accounts;
    private final LedgerExport exports;
    private final BackofficeProperties properties;

    LedgerPagesController(Balances balances, ChartOfAccounts accounts, LedgerExport exports,
                          BackofficeProperties properties) {
        this.balances = balances;
        this.accounts = accounts;
        this.exports = exports;
        this.properties = properties;
    }

    /** The filters as typed, for the form and the pages' links. */
    public record Filters(String account, String order, String from, String to) {
    }

    @GetMapping("/admin/ledger/entries")
    String entries(@RequestParam(required = false) String account, @RequestParam(required = false) String order,
                   @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                   @RequestParam(required = false) String after, Model model) {
        Filters filters = new Filters(OrderListController.blank(account), OrderListController.blank(order),
                OrderListController.blank(from), OrderListController.blank(to));
        if (filters.account() != null) {
            accounts.require(filters.account(), "account");
        }
        if (filters.order() != null && !filters.order().startsWith(Ids.ORDER)) {
            throw MoneytrailException.invalid("parameter_invalid", "order", "an order id starts with " + Ids.ORDER);
        }
        String cursor = OrderListController.blank(after);
        if (cursor != null && !cursor.startsWith("je_")) {
            throw MoneytrailException.invalid("parameter_invalid", "after", "a journal entry id starts with je_");
        }
        Instant fromAt = day(filters.from(), "from", 0);
        Instant toAt = day(filters.to(), "to", 1);
        List<JournalEntry> page = balances.entries(filters.order(), filters.account(), fromAt, toAt, cursor,
                PAGE_SIZE + 1);
        boolean more = page.size() > PAGE_SIZE;
        List<JournalEntry> shown = more ? page.subList(0, PAGE_SIZE) : page;
        model.addAttribute("filters", filters);
        model.addAttribute("entries", shown);
        model.addAttribute("next", more ? shown.get(shown.size() - 1).id() : null);
        model.addAttribute("first", cursor == null);
        model.addAttribute("accounts", accounts.all());
        return "admin/ledger-entries";
    }

    @GetMapping("/admin/ledger/export")
    ResponseEntity<StreamingResponseBody> export(@RequestParam(required = false) String format,
                                                 @RequestParam(required = false) String from,
                                                 @RequestParam(required = false) String to) {
        LedgerExport.Format parsed = LedgerExport.Format.parse(format);
        LedgerExport.Prepared export = exports.prepare(parsed, LedgerExport.date(from, "from"),
                LedgerExport.date(to, "to"));
        StreamingResponseBody body = out -> {
            try (export) {
                export.writeTo(out);
            }
        };
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(parsed.contentType()))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(export.fileName()).build().toString())
                .body(body);
    }

    /** The export formats' wire names, for the form. */
    static List<String> formats() {
        return Arrays.stream(LedgerExport.Format.values()).map(LedgerExport.Format::wire).toList();
    }

    private Instant day(String value, String param, int plusDays) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value).plusDays(plusDays).atStartOfDay(properties.timeZone()).toInstant();
        } catch (DateTimeParseException e) {
            throw MoneytrailException.invalid("parameter_invalid", param, "a date is YYYY-MM-DD: " + value);
        }
    }
}
