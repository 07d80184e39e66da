package io.moneytrail.backoffice;

import io.moneytrail.access.AuditLog;
import io.moneytrail.access.AuditRecord;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** {@code /admin/audit-log}: who did what, when and why, newest first, filtered by actor, object and action. */
@Controller
class AuditPageController {

    static final int PAGE_SIZE = 50;

    private final AuditLog audit;

    AuditPageController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping("/admin/audit-log")
    String auditLog(@RequestParam(required = false) String actor, @RequestParam(required = false) String object,
                    @RequestParam(required = false) String action, @RequestParam(required = false) String after,
                    Model model) {
        AuditLog.Filter filter = new AuditLog.Filter(OrderListController.blank(actor),
                OrderListController.blank(object), OrderListController.blank(action), null, null);
        List<AuditRecord> page = audit.list(filter, OrderListController.blank(after), PAGE_SIZE + 1);
        boolean more = page.size() > PAGE_SIZE;
        List<AuditRecord> shown = more ? page.subList(0, PAGE_SIZE) : page;
        model.addAttribute("filter", filter);
        model.addAttribute("rows", shown);
        model.addAttribute("next", more ? shown.get(shown.size() - 1).id() : null);
        return "admin/audit";
    }
}
