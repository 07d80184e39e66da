package io.moneytrail.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The service's data directory ({@code ./data}, or {@code MONEYTRAIL_DATA_DIR}). */
public record DataDirectory(Path path) {

    public DataDirectory {
        path = path.toAbsolutePath().normalize();
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + path, e);
        }
    }

    public Path resolve(String name) {
        return path.resolve(name);
    }
}
