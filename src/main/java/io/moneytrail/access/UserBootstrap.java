package io.moneytrail.access;

import io.moneytrail.database.DataDirectory;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;

/**
 * The back office's first user. On the first start of a database without users, the user
 * {@value #USERNAME} is created with the {@code admin} role and its password is written to
 * {@code <data dir>/admin-password}, readable by the owner only, as the first admin key is
 * written to {@code secret-key}. The file is written once; later users come from the admin
 * ({@code POST /v1/users}, {@code moneytrail users add}, the access settings page).
 */
@Component
@ConditionalOnWebApplication
class UserBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(UserBootstrap.class);
    static final String USERNAME = "admin";
    static final String FILE_NAME = "admin-password";

    private final Users users;
    private final DataDirectory dataDirectory;

    UserBootstrap(Users users, DataDirectory dataDirectory) {
        this.users = users;
        this.dataDirectory = dataDirectory;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (users.count() > 0) {
            return;
        }
        Users.NewUser admin = users.create(USERNAME, Role.ADMIN);
        Path file = OwnerOnlyFile.write(dataDirectory.resolve(FILE_NAME), admin.password(), "admin password");
        log.info("Created the back-office user '{}'; its password is in {} (log in at /admin/login)", USERNAME, file);
    }
}
