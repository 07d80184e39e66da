package io.moneytrail.reconrun;

import io.moneytrail.access.AuditTrail;
import org.springframework.transaction.support.TransactionTemplate;
import io.moneytrail.database.DataDirectory;
import io.moneytrail.money.ErrorType;
import io.moneytrail.money.Ids;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.reconciliation.Audit;
import io.moneytrail.reconciliation.ImportProblem;
import io.moneytrail.reconciliation.ImportSummary;
import io.moneytrail.reconciliation.ProviderRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.ObjectMapper;

/**
 * Imports provider reports and bank statements: streams the upload to disk under its own bound
 * (computing SHA-256 on the way), refuses a file the importer cannot use (nothing kept), keeps
 * each distinct file once per kind (the same bytes again return the existing record), and
 * records the row problems the importer reported.
 */
@Service
public class ReconFiles {

    /** Row problems kept in a file's record; all are counted. */
    static final int PROBLEMS_KEPT_MAX = 100;
    private static final int NAME_CHARS_MAX = 200;

    private final JdbcClient jdbc;
    private final Path directory;
    private final long bytesMax;
    private final ObjectMapper json;
    private final Clock clock;

    private final AuditTrail audit;
    private final TransactionTemplate tx;
    /** A provider report's rows as the import's check parsed them, for the run of this process. */
    private final ParsedReports parsed = new ParsedReports();

    ReconFiles(JdbcClient jdbc, DataDirectory dataDirectory, ObjectMapper json, Clock clock, AuditTrail audit,
               TransactionTemplate tx, @Value("${moneytrail.reconciliation.file-bytes-max:209715200}") long bytesMax) {
        this.audit = audit;
        this.tx = tx;
        this.jdbc = jdbc;
        this.directory = dataDirectory.resolve("reconciliation").resolve("files");
        this.json = json;
        this.clock = clock;
        this.bytesMax = bytesMax;
    }

    public long bytesMax() {
        return bytesMax;
    }

    /** Imports a file given as a path (the CLI). */
    public ReconFile importFile(String kind, String format, Path file) {
        if (!Files.isRegularFile(file)) {
            throw MoneytrailException.invalid("file_unusable", "file", file + ": no such file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return importStream(kind, format, file.getFileName().toString(), in, Files.size(file));
        } catch (IOException e) {
            throw MoneytrailException.invalid("file_unusable", "file", file + ": cannot be read: " + e.getMessage());
        }
    }

    /**
     * Imports an upload.
     *
     * @param declaredBytes the length the sender declared, or -1
     */
    public ReconFile importStream(String kind, String format, String name, InputStream in, long declaredBytes) {
        FileFormats.kind(kind);
        String fileName = name == null || name.isBlank() ? kind + "-file" : name.strip();
        if (fileName.length() > NAME_CHARS_MAX || fileName.chars().anyMatch(Character::isISOControl)) {
            throw MoneytrailException.invalid("parameter_invalid", "name",
                    "name is at most " + NAME_CHARS_MAX + " printable characters");
        }
        if (declaredBytes > bytesMax) {
            throw tooLarge();
        }
        Path partial = null;
        ParsedReports.Writer rows = null;
        try {
            Files.createDirectories(directory);
            partial = Files.createTempFile(directory, ".upload-", ".part");
            MessageDigest sha = sha256();
            long bytes = copy(in, partial, sha);
            if (bytes < 0) {
                throw tooLarge();
            }
            String digest = HexFormat.of().formatHex(sha.digest());
            Optional<ReconFile> existing = bySha(kind, digest);
            if (existing.isPresent()) {
                return existing.get();
            }
            String wireFormat = FileFormats.format(kind, format, partial, fileName);
            String id = Ids.next("rf_");
            ImportSummary summary;
            if (FileFormats.PROVIDER.equals(kind)) {
                // the check's rows are kept (compactly) for this process's run: the report is parsed once
                rows = new ParsedReports.Writer(directory.resolve(".rows-" + id));
                summary = validate(kind, wireFormat, partial, fileName, rows);
            } else {
                summary = validate(kind, wireFormat, partial, fileName, null);
            }
            Path kept = directory.resolve(id);
            Files.move(partial, kept, StandardCopyOption.ATOMIC_MOVE);
            partial = null;
            try {
                tx.executeWithoutResult(status -> {
                    jdbc.sql("""
                                    insert into recon_files (id, kind, format, name, sha256, bytes, rows, rows_rejected, problems,
                                                             uploaded_at)
                                    values (:id, :kind, :format, :name, :sha, :bytes, :rows, :rejected, cast(:problems as jsonb),
                                            :at)
                                    """)
                            .param("id", id).param("kind", kind).param("format", wireFormat).param("name", fileName)
                            .param("sha", digest).param("bytes", bytes).param("rows", summary.rowsAccepted())
                            .param("rejected", summary.rowsRejected())
                            .param("problems", problemsJson(summary, partialName(summary), fileName))
                            .param("at", Timestamp.from(clock.instant())).update();
                    audit.record("reconciliation.file.upload", "reconciliation_file", id,
                            AuditTrail.Outcome.SUCCEEDED, null, Map.of("kind", kind, "format", wireFormat, "sha256", digest));
                });
            } catch (DuplicateKeyException concurrent) {
                Files.deleteIfExists(kept);
                return bySha(kind, digest).orElseThrow(() -> concurrent);
            }
            if (rows != null && rows.finish()) {
                rows.path().toFile().deleteOnExit();
                parsed.hold(new ParsedReports.Parsed(id, wireFormat, digest, rows.path(),
                        ParsedReports.renamed(summary, partialName(summary), kept.toString())));
                rows = null;
            }
            return find(id).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the uploaded file under " + directory, e);
        } finally {
            if (rows != null) {
                rows.close();
                ParsedReports.delete(rows.path());
            }
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // a leftover .part file is named as such and never read
                }
            }
        }
    }

    private MoneytrailException tooLarge() {
        return new MoneytrailException(ErrorType.INVALID_REQUEST, 413, "file_too_large", null,
                "the file is larger than " + bytesMax + " bytes (moneytrail.reconciliation.file-bytes-max)");
    }

    /** Copies at most {@code bytesMax} bytes; -1 when there are more. */
    private long copy(InputStream in, Path target, MessageDigest sha) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > bytesMax) {
                    return -1;
                }
                sha.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        return total;
    }

    /** Runs the importer over the file once: file-level problems refuse it, naming the file. */
    private ImportSummary validate(String kind, String format, Path file, String name, Consumer<ProviderRow> rows) {
        try {
            if (FileFormats.PROVIDER.equals(kind)) {
                return Audit.readProviderReport(file, FileFormats.provider(format), null, null,
                        rows == null ? row -> { } : rows, problem -> { });
            }
            return Audit.readBankStatement(file, FileFormats.bank(format), null, entry -> { }, problem -> { });
        } catch (MoneytrailException e) {
            String message = e.getMessage() == null ? "cannot be read" : e.getMessage().replace(file.toString(), name);
            if (!message.startsWith(name)) {
                message = name + ": " + message;
            }
            throw MoneytrailException.invalid("file_unusable", "file", message);
        }
    }

    private static String partialName(ImportSummary summary) {
        return summary.file();
    }

    private String problemsJson(ImportSummary summary, String tempName, String name) {
        List<Map<String, Object>> problems = new ArrayList<>();
        for (ImportProblem problem : summary.problems()) {
            if (problems.size() >= PROBLEMS_KEPT_MAX) {
                break;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("file", name);
            row.put("line", problem.line());
            row.put("reason", tempName == null ? problem.reason() : problem.reason().replace(tempName, name));
            problems.add(row);
        }
        return json.writeValueAsString(problems);
    }

    /**
     * The rows this process's import of {@code file} parsed, taken once (the caller reads and
     * deletes them); empty when there are none: parse the stored file.
     */
    Optional<ParsedReports.Parsed> takeParsed(ReconFile file) {
        return parsed.take(file);
    }

    /** The compact rows held for {@code id}'s run, if any (tests). */
    Optional<Path> heldParsed(String id) {
        return parsed.held(id);
    }

    public Optional<ReconFile> find(String id) {
        return jdbc.sql("select * from recon_files where id = :id").param("id", id).query(this::map).optional();
    }

    Optional<ReconFile> bySha(String kind, String sha) {
        return jdbc.sql("select * from recon_files where kind = :kind and sha256 = :sha").param("kind", kind)
                .param("sha", sha).query(this::map).optional();
    }

    /** The file of a kind uploaded last within [from, to), if any. */
    public Optional<ReconFile> latest(String kind, Instant from, Instant to) {
        return jdbc.sql("""
                        select * from recon_files where kind = :kind and uploaded_at >= :from and uploaded_at < :to
                        order by uploaded_at desc, id desc limit 1
                        """)
                .param("kind", kind).param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query(this::map).optional();
    }

    /** Newest first, by id. */
    public List<ReconFile> list(String kind, String startingAfter, int limit) {
        return jdbc.sql("""
                        select * from recon_files where (cast(:kind as text) is null or kind = :kind)
                          and (cast(:after as text) is null or id < :after)
                        order by id desc limit :limit
                        """)
                .param("kind", kind).param("after", startingAfter).param("limit", limit).query(this::map).list();
    }

    private ReconFile map(ResultSet rs, int n) throws SQLException {
        String id = rs.getString("id");
        return new ReconFile(id, rs.getString("kind"), rs.getString("format"), rs.getString("name"),
                rs.getString("sha256"), rs.getLong("bytes"), rs.getLong("rows"), rs.getLong("rows_rejected"),
                rs.getString("problems"), rs.getTimestamp("uploaded_at").toInstant(), directory.resolve(id));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
