package io.moneytrail.backoffice;

import io.moneytrail.access.Actor;
import io.moneytrail.access.Actors;
import io.moneytrail.access.AuditTrail;
import io.moneytrail.money.Money;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.order.Order;
import io.moneytrail.order.OrderService;
import io.moneytrail.payment.Payment;
import io.moneytrail.payment.PaymentActions;
import io.moneytrail.payment.PaymentQueries;
import io.moneytrail.payment.PaymentResolver;
import io.moneytrail.payment.RefundActions;
import jakarta.servlet.http.HttpSession;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The order page's actions: capture, void, refund, cancel, fulfil, recheck. Each goes through a
 * confirmation page that says exactly what will happen ({@code GET …/actions/{action}}), whose
 * form carries a one-time key; posting it acts once (the key is the refund's or the capture's
 * creation key, and a key already used in this session answers "already done"), through the same
 * service methods the API calls, and is written to the audit log with its reason.
 */
@Controller
class OrderActionsController {

    static final int REASON_LENGTH_MAX = 500;
    /** One-time keys a session remembers as used (oldest forgotten first). */
    static final int USED_KEYS_MAX = 200;
    static final String USED_KEYS = OrderActionsController.class.getName() + ".usedKeys";

    private final OrderService orders;
    private final PaymentQueries payments;
    private final PaymentActions paymentActions;
    private final RefundActions refunds;
    private final PaymentResolver resolver;
    private final ActionAudit audit;
    private final MessageSource messages;

    OrderActionsController(OrderService orders, PaymentQueries payments, PaymentActions paymentActions,
                           RefundActions refunds, PaymentResolver resolver, ActionAudit audit, MessageSource messages) {
        this.orders = orders;
        this.payments = payments;
        this.paymentActions = paymentActions;
        this.refunds = refunds;
        this.resolver = resolver;
        this.audit = audit;
        this.messages = messages;
    }

    /** The action as confirmed: the order, the payment (if any), the amount in minor units (null: all). */
    record Planned(OrderAction action, Order order, Payment payment, Long amountMinor, String reason) {
    }

    @GetMapping("/admin/orders/{id}/actions/{action}")
    String confirm(@PathVariable String id, @PathVariable("action") String actionName,
                   @RequestParam(required = false) String payment, @RequestParam(required = false) String amount,
                   @RequestParam(required = false) String reason, Model model, Locale locale) {
        Planned planned = plan(id, actionName, payment, amount, reason, true);
        model.addAttribute("planned", planned);
        model.addAttribute("action", planned.action().wire());
        model.addAttribute("reasonRequired", planned.action().needsReason);
        model.addAttribute("sentence", sentence(planned, (Formats) model.getAttribute("fmt"), locale));
        model.addAttribute("key", UUID.randomUUID().toString());
        return "admin/confirm";
    }

    @PostMapping("/admin/orders/{id}/actions/{action}")
    String act(@PathVariable String id, @PathVariable("action") String actionName,
               @RequestParam(required = false) String payment, @RequestParam(required = false) String amount,
               @RequestParam(required = false) String reason, @RequestParam String key, HttpSession session,
               RedirectAttributes redirect, Locale locale) {
        Planned planned = plan(id, actionName, payment, amount, reason, false);
        if (!markUsed(session, key)) {
            redirect.addFlashAttribute("notice", messages.getMessage("action.already", null, locale));
            return "redirect:/admin/orders/" + id;
        }
        Actor me = Actors.current().orElseThrow();
        String creationKey = "user:" + me.id() + ":" + key;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("one_time_key", key);
        if (planned.payment() != null) {
            details.put("payment", planned.payment().id());
        }
        if (planned.amountMinor() != null) {
            details.put("amount", planned.amountMinor());
        }
        try {
            String result = switch (planned.action()) {
                case CAPTURE -> paymentActions.capture(planned.payment().id(), planned.amountMinor(), creationKey)
                        .state().wire();
                case VOID -> paymentActions.cancel(planned.payment().id()).state().wire();
                case REFUND -> {
                    var refund = refunds.refund(planned.payment().id(), planned.amountMinor(), planned.reason(),
                            creationKey);
                    details.put("refund", refund.id());
                    yield refund.state().wire();
                }
                case CANCEL -> orders.cancel(id).status().wire();
                case FULFIL -> orders.fulfill(id).status().wire();
                case RECHECK -> resolver.resolve(planned.payment().id(), "operator recheck").state().wire();
            };
            details.put("result", result);
            audit.record(planned.action(), id, AuditTrail.Outcome.SUCCEEDED, planned.reason(), details);
            redirect.addFlashAttribute("notice", messages.getMessage("action.done." + planned.action().wire(),
                    new Object[] {messages.getMessage("status." + result, null, result, locale)}, locale));
        } catch (MoneytrailException e) {
            details.put("error", e.code());
            audit.record(planned.action(), id, e.httpStatus() >= 500 ? AuditTrail.Outcome.FAILED
                    : AuditTrail.Outcome.REFUSED, planned.reason(), details);
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/admin/orders/" + id;
    }

    private Planned plan(String orderId, String actionName, String paymentId, String amount, String reason,
                         boolean confirming) {
        OrderAction action = OrderAction.fromWire(actionName).orElseThrow(() -> MoneytrailException.notFound("action",
                actionName));
        Order order = orders.get(orderId);
        Payment payment = null;
        if (action.needsPayment) {
            if (paymentId == null || paymentId.isBlank()) {
                throw MoneytrailException.invalid("parameter_missing", "payment", "choose a payment");
            }
            payment = payments.get(paymentId.strip());
            if (!payment.orderId().equals(orderId)) {
                throw MoneytrailException.invalid("parameter_invalid", "payment",
                        "payment " + payment.id() + " is not a payment of order " + orderId);
            }
        }
        Long amountMinor = null;
        if (action.takesAmount && amount != null && !amount.isBlank()) {
            amountMinor = payment == null ? null : minor(amount.strip(), payment.amount().currencyCode(), confirming);
        }
        if (amountMinor == null && payment != null && confirming) {
            // "all": the confirmation names the exact amount, and the form then posts it
            if (action == OrderAction.REFUND) {
                amountMinor = payment.amountCaptured() - payment.amountRefunded();
            } else if (action == OrderAction.CAPTURE) {
                amountMinor = payment.amountCapturable();
            }
        }
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        if (why != null && why.length() > REASON_LENGTH_MAX) {
            throw MoneytrailException.invalid("parameter_too_long", "reason",
                    "a reason is at most " + REASON_LENGTH_MAX + " characters");
        }
        if (action.needsReason && why == null) {
            throw MoneytrailException.invalid("parameter_missing", "reason", "say why (the audit log keeps it)");
        }
        return new Planned(action, order, payment, amountMinor, why);
    }

    /** "29.90" (major units, as typed on the order page) or "2990" (minor, as the confirmation posts it). */
    static long minor(String amount, String currency, boolean major) {
        try {
            if (!major) {
                return Long.parseLong(amount);
            }
            int exponent = Money.currency(currency).getDefaultFractionDigits();
            BigDecimal value = new BigDecimal(amount.replace(',', '.')).movePointRight(Math.max(exponent, 0));
            long minor = value.longValueExact();
            if (minor <= 0) {
                throw new ArithmeticException("not positive");
            }
            return minor;
        } catch (ArithmeticException | NumberFormatException e) {
            throw MoneytrailException.invalid("parameter_invalid", "amount",
                    "the amount is a positive number with at most the currency's decimals: " + amount);
        }
    }

    private String sentence(Planned planned, Formats fmt, Locale locale) {
        Payment payment = planned.payment();
        String provider = payment == null ? "" : providerName(payment.provider());
        String amount = payment == null || planned.amountMinor() == null ? ""
                : fmt.money(planned.amountMinor(), payment.amount().currencyCode());
        Object[] args = switch (planned.action()) {
            case CAPTURE -> new Object[] {amount, provider, fmt.money(payment.amountCapturable(),
                    payment.amount().currencyCode())};
            case VOID -> new Object[] {fmt.money(payment.amountCapturable(), payment.amount().currencyCode()), provider};
            case REFUND -> new Object[] {amount, provider};
            case CANCEL, FULFIL -> new Object[] {planned.order().id(), fmt.money(planned.order().amountTotal())};
            case RECHECK -> new Object[] {provider, payment.id()};
        };
        return messages.getMessage("confirm." + planned.action().wire(), args, locale);
    }

    static String providerName(String provider) {
        return switch (provider) {
            case "yookassa" -> "YooKassa";
            case "tbank" -> "T-Bank";
            default -> provider.isEmpty() ? provider : Character.toUpperCase(provider.charAt(0)) + provider.substring(1);
        };
    }

    @SuppressWarnings("unchecked")
    static boolean markUsed(HttpSession session, String key) {
        if (key == null || key.isBlank() || key.length() > 100) {
            throw MoneytrailException.invalid("parameter_invalid", "key", "the form's one-time key is missing");
        }
        synchronized (session) {
            Set<String> used = (Set<String>) session.getAttribute(USED_KEYS);
            if (used == null) {
                used = new LinkedHashSet<>();
            }
            if (!used.add(key)) {
                return false;
            }
            while (used.size() > USED_KEYS_MAX) {
                used.remove(used.iterator().next());
            }
            session.setAttribute(USED_KEYS, used);
            return true;
        }
    }
}
