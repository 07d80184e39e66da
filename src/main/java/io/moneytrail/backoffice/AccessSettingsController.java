package io.moneytrail.backoffice;

import io.moneytrail.access.ApiKeys;
import io.moneytrail.access.Role;
import io.moneytrail.access.Users;
import io.moneytrail.money.MoneytrailException;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * {@code /admin/settings/access} (admins): users and API keys, with create (the password or the
 * secret is shown once, on the next page only), disable and revoke, through the same methods as
 * {@code /v1/users} and {@code /v1/api_keys}.
 */
@Controller
class AccessSettingsController {

    private final Users users;
    private final ApiKeys keys;
    private final MessageSource messages;
    private final ActionAudit audit;

    AccessSettingsController(Users users, ApiKeys keys, MessageSource messages, ActionAudit audit) {
        this.users = users;
        this.keys = keys;
        this.messages = messages;
        this.audit = audit;
    }

    @GetMapping("/admin/settings/access")
    String access(Model model) {
        List<Users.User> all = users.list();
        List<ApiKeys.ApiKey> allKeys = keys.list();
        model.addAttribute("users", all);
        model.addAttribute("keys", allKeys);
        // the last active admin user (or admin key) is kept: the services refuse it, the page offers no button
        List<String> admins = all.stream().filter(u -> u.active() && u.role() == Role.ADMIN)
                .map(Users.User::username).toList();
        List<String> adminKeys = allKeys.stream().filter(k -> k.active() && k.role() == Role.ADMIN)
                .map(ApiKeys.ApiKey::id).toList();
        model.addAttribute("lastAdmin", admins.size() == 1 ? admins.get(0) : null);
        model.addAttribute("lastAdminKey", adminKeys.size() == 1 ? adminKeys.get(0) : null);
        model.addAttribute("userRoles", Users.ROLES.stream().map(Role::wireName).toList());
        model.addAttribute("keyRoles", java.util.Arrays.stream(Role.values()).map(Role::wireName).toList());
        return "admin/access";
    }

    @PostMapping("/admin/settings/access/users")
    String addUser(@RequestParam String username, @RequestParam String role, RedirectAttributes redirect,
                   Locale locale) {
        Role parsed = Role.fromWire(role).orElseThrow(() -> MoneytrailException.invalid("parameter_invalid", "role",
                "no such role: " + role));
        Users.NewUser created = users.create(username, parsed);
        redirect.addFlashAttribute("secretLabel", messages.getMessage("access.passwordOnce",
                new Object[] {created.user().username()}, locale));
        redirect.addFlashAttribute("secret", created.password());
        return "redirect:/admin/settings/access";
    }

    @PostMapping("/admin/settings/access/users/{username}/disable")
    String disableUser(@PathVariable String username, RedirectAttributes redirect, Locale locale) {
        try {
            users.disable(username);
        } catch (MoneytrailException e) {
            if (!"last_admin_user".equals(e.code())) {
                throw e;
            }
            redirect.addFlashAttribute("problem", messages.getMessage("access.lastAdminRefused",
                    new Object[] {username}, locale));
            return "redirect:/admin/settings/access";
        }
        redirect.addFlashAttribute("notice", messages.getMessage("access.disabled", new Object[] {username}, locale));
        return "redirect:/admin/settings/access";
    }

    @PostMapping("/admin/settings/access/keys")
    String addKey(@RequestParam String name, @RequestParam String role, RedirectAttributes redirect, Locale locale) {
        Role parsed = Role.fromWire(role).orElseThrow(() -> MoneytrailException.invalid("parameter_invalid", "role",
                "no such role: " + role));
        ApiKeys.NewKey created = keys.create(name, parsed, ApiKeys.Origin.API);
        audit.recordAccess("api_key.create", "api_key", created.key().id());
        redirect.addFlashAttribute("secretLabel", messages.getMessage("access.secretOnce",
                new Object[] {created.key().id()}, locale));
        redirect.addFlashAttribute("secret", created.secret());
        return "redirect:/admin/settings/access";
    }

    @PostMapping("/admin/settings/access/keys/{id}/revoke")
    String revokeKey(@PathVariable String id, RedirectAttributes redirect, Locale locale) {
        try {
            keys.revoke(id);
        } catch (MoneytrailException e) {
            if (!"last_admin_key".equals(e.code())) {
                throw e;
            }
            redirect.addFlashAttribute("problem", messages.getMessage("access.lastAdminKeyRefused",
                    new Object[] {id}, locale));
            return "redirect:/admin/settings/access";
        }
        audit.recordAccess("api_key.revoke", "api_key", id);
        redirect.addFlashAttribute("notice", messages.getMessage("access.revoked", new Object[] {id}, locale));
        return "redirect:/admin/settings/access";
    }
}
