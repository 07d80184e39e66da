package io.moneytrail.api;

import io.moneytrail.access.Role;
import io.moneytrail.access.Users;
import io.moneytrail.money.MoneytrailException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The back office's users (admin only, by the role table): create (the password is shown once), list, disable. */
@RestController
@RequestMapping("/v1/users")
@Tag(name = "Users")
class UsersController {

    private final Users users;

    UsersController(Users users) {
        this.users = users;
    }

    record CreateUser(String username, String role) {
    }

    /** {@code password} is shown once, in the answer to the creation; {@code disabled} is null while active. */
    record UserView(String object, String username, String role,
                    @JsonInclude(JsonInclude.Include.NON_NULL) String password, long created, Long disabled) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a back-office user with a role; the answer shows its password, once")
    UserView create(@RequestBody(required = false) CreateUser body) {
        if (body == null) {
            throw MoneytrailException.invalid("parameter_missing", "username", "username and role are required");
        }
        if (body.role() == null) {
            throw MoneytrailException.invalid("parameter_missing", "role", "role is required");
        }
        Role role = Role.fromWire(body.role()).filter(Users.ROLES::contains)
                .orElseThrow(() -> MoneytrailException.invalid("parameter_invalid", "role",
                        "role must be one of " + Users.ROLES.stream().map(Role::wireName).toList()));
        Users.NewUser created = users.create(body.username(), role);
        return view(created.user(), created.password());
    }

    @GetMapping
    @Operation(summary = "List users, active and disabled, by name (never their passwords)")
    Views.ListView<UserView> list() {
        return Views.list(users.list().stream().map(u -> view(u, null)).toList(), false, "/v1/users");
    }

    @GetMapping("/{username}")
    UserView get(@PathVariable String username) {
        return view(users.find(username).orElseThrow(() -> MoneytrailException.notFound("username", username)), null);
    }

    @PostMapping("/{username}/disable")
    @Operation(summary = "Disable a user: it can no longer log in, and its sessions end at their next request")
    UserView disable(@PathVariable String username) {
        return view(users.disable(username), null);
    }

    private static UserView view(Users.User user, String password) {
        return new UserView("user", user.username(), user.role().wireName(), password,
                user.created().getEpochSecond(), user.disabled() == null ? null : user.disabled().getEpochSecond());
    }
}
