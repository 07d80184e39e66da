package io.moneytrail.backoffice;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;

/** The login page (the access module's chain checks the form it posts) and the 403 page. */
@Controller
class LoginController {

    @GetMapping("/admin/login")
    String login() {
        return "admin/login";
    }

    /** Where the security chain forwards a user whose role may not see a page (status 403). */
    @RequestMapping("/admin/denied")
    @ResponseStatus(HttpStatus.FORBIDDEN)
    String denied() {
        return "admin/denied";
    }
}
