package io.moneytrail.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/** A generated password kept in a file only its owner can read or write (mode 0600). */
final class SecretFile {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFile() {
    }

    /** 32 characters from 192 random bits, URL-safe (no quoting needed anywhere). */
    static String generate() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The password in {@code file}; a new one, written there with mode 0600, if the file is absent. */
    static String readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            restrict(file);
            String password = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (password.isEmpty()) {
                throw new IllegalStateException(file + " is empty; see docs/security.md, \"The embedded database\"");
            }
            return password;
        }
        String password = generate();
        Path next = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(next);
        if (posix()) {
            Files.createFile(next, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(next);
        }
        Files.writeString(next, password + "\n", StandardCharsets.US_ASCII);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE);
        return password;
    }

    /** Makes the file readable and writable by its owner only. */
    static void restrict(Path file) throws IOException {
        if (posix() && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
