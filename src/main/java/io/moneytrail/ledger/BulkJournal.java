package io.moneytrail.ledger;

import io.moneytrail.money.Check;
import io.moneytrail.money.ErrorType;
import io.moneytrail.money.Ids;
import io.moneytrail.money.MoneytrailException;
import io.moneytrail.order.OrderSummaries;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The journal's bulk path, for imports of history and of settlement reports (fees, payouts):
 * a batch of entries is written by one statement, in one transaction, with the invariants of
 * {@link Journal#post}: every entry balanced (checked when it was built), every account in
 * the chart, and idempotency by source with the same fingerprint rule. A source already
 * posted with the same content is reported as existing; with other content the whole batch
 * is rejected ({@code source_already_posted}, 409) and nothing of it is written.
 *
 * <p>The statement sends the batch as arrays ({@code unnest}) to a data-modifying CTE that
 * inserts the entries ({@code on conflict (source_type, source_id) do nothing}) and the lines
 * of only those entries it inserted. Only when fewer entries were inserted than given does a
 * second query read the fingerprints of those that already existed.
 */
@Service
public class BulkJournal {

    /** Most entries one batch may carry (each has at most {@link NewEntry#LINES_MAX} lines). */
    public static final int ENTRIES_MAX = 10_000;

    private static final String INSERT = """
            with e as (
                insert into journal_entries (id, source_type, source_id, fingerprint, order_id, effective_at,
                                             recorded_at, description, reverses, actor, reason, order_created_at,
                                             psp_currency, psp_minor)
                select x.id, x.source_type, x.source_id, x.fingerprint, x.order_id,
                       timestamptz 'epoch' + x.effective_us * interval '1 microsecond', ?, x.description,
                       x.reverses, x.actor, x.reason,
                       timestamptz 'epoch' + x.order_created_us * interval '1 microsecond', x.psp_currency, x.psp_minor
                from unnest(?::text[], ?::text[], ?::text[], ?::bytea[], ?::text[], ?::int8[], ?::text[], ?::text[],
                            ?::text[], ?::text[], ?::int8[], ?::text[], ?::int8[])
                     as x(id, source_type, source_id, fingerprint, order_id, effective_us, description, reverses,
                          actor, reason, order_created_us, psp_currency, psp_minor)
                on conflict (source_type, source_id) do nothing
                returning id, effective_at
            ), l as (
                insert into journal_lines (entry_id, line_no, account_code, amount_minor, currency, effective_at)
                select y.entry_id, y.line_no, y.account_code, y.amount_minor, y.currency, e.effective_at
                from unnest(?::text[], ?::int2[], ?::text[], ?::int8[], ?::text[])
                     as y(entry_id, line_no, account_code, amount_minor, currency)
                join e on e.id = y.entry_id
                returning 1
            )
            select (select count(*) from e), (select count(*) from l)
            """;

    /** The entries already posted under the batch's sources (ordinality is 1-based). */
    private static final String EXISTING = """
            select x.n, j.id, j.fingerprint
            from unnest(?::text[], ?::text[]) with ordinality as x(source_type, source_id, n)
            join journal_entries j on j.source_type = x.source_type and j.source_id = x.source_id
            """;

    private final JdbcTemplate jdbc;
    private final Accounts accounts;
    private final Clock clock;
    private final OrderSummaries orders;

    BulkJournal(JdbcTemplate jdbc, Accounts accounts, Clock clock, OrderSummaries orders) {
        this.orders = orders;
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.clock = clock;
    }

    /**
     * What a batch did. {@code posted + existing + duplicates} is the batch's size.
     *
     * @param posted      entries written by this batch
     * @param existing    entries whose source was already posted with the same content (no-ops)
     * @param duplicates  entries repeating, with the same content, a source earlier in the batch
     * @param entryIds    the entry id of each given entry, in the batch's order (new or existing)
     * @param existingIds the ids of the entries that already existed, in the batch's order
     */
    public record BatchResult(int posted, int existing, int duplicates, List<String> entryIds,
                              List<String> existingIds) {
        public BatchResult {
            entryIds = List.copyOf(entryIds);
            existingIds = List.copyOf(existingIds);
        }
    }

    /**
     * Posts a batch in one transaction (the caller's, if there is one): all of it, or nothing
     * when one entry names an unknown account or conflicts with what a source already posted.
     */
    @Transactional(propagation = Propagation.REQUIRED)
    public BatchResult post(List<NewEntry> entries) {
        Check.that(entries != null, "a batch is a list");
        if (entries.size() > ENTRIES_MAX) {
            throw MoneytrailException.invalid("batch_too_large", "entries",
                    "a batch has at most " + ENTRIES_MAX + " entries, got " + entries.size());
        }
        if (entries.isEmpty()) {
            return new BatchResult(0, 0, 0, List.of(), List.of());
        }
        requireAccounts(entries);

        // One row per source: a repeat inside the batch is the same entry or a conflict.
        int size = entries.size();
        int[] rowOf = new int[size];
        int[] firstIndexOfRow = new int[size];
        List<NewEntry> rows = new ArrayList<>(size);
        List<byte[]> fingerprints = new ArrayList<>(size);
        Map<String, Integer> rowBySource = new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) {
            NewEntry entry = entries.get(i);
            Check.that(entry != null, "a batch has no null entries");
            byte[] fingerprint = entry.fingerprint();
            Integer row = rowBySource.putIfAbsent(entry.sourceType() + '\n' + entry.sourceId(), rows.size());
            if (row == null) {
                firstIndexOfRow[rows.size()] = i;
                rowOf[i] = rows.size();
                rows.add(entry);
                fingerprints.add(fingerprint);
            } else if (Arrays.equals(fingerprints.get(row), fingerprint)) {
                rowOf[i] = row;
            } else {
                throw alreadyPosted(entry, i, "appears twice in this batch with different content");
            }
        }
        requireReversible(rows, firstIndexOfRow);
        String[] ids = new String[rows.size()];
        for (int r = 0; r < ids.length; r++) {
            ids[r] = Ids.next(Journal.ENTRY_ID_PREFIX);
        }
        Instant recordedAt = clock.instant();
        Instant[] orderCreated = orderCreated(rows);
        // Written in source order: concurrent batches over the same sources wait for each other
        // on the first shared source instead of deadlocking on two.
        Integer[] bySource = new Integer[rows.size()];
        for (int r = 0; r < bySource.length; r++) {
            bySource[r] = r;
        }
        Arrays.sort(bySource, Comparator.comparing((Integer r) -> rows.get(r).sourceType())
                .thenComparing(r -> rows.get(r).sourceId()));
        long[] counts = jdbc.execute((ConnectionCallback<long[]>) con -> insert(con, rows, bySource, fingerprints,
                ids, recordedAt, orderCreated));
        int inserted = Math.toIntExact(counts[0]);

        String[] finalIds = ids.clone();
        boolean[] existed = new boolean[rows.size()];
        int existing = 0;
        if (inserted < rows.size()) {
            List<Object[]> found = jdbc.execute((ConnectionCallback<List<Object[]>>) con -> existing(con, rows));
            for (Object[] hit : found) {
                int row = (int) hit[0];
                String id = (String) hit[1];
                if (id.equals(ids[row])) {
                    continue; // written just now by this batch
                }
                if (!Arrays.equals((byte[]) hit[2], fingerprints.get(row))) {
                    throw alreadyPosted(rows.get(row), firstIndexOfRow[row], "is already posted with different content;"
                            + " correct it with a reversing entry");
                }
                finalIds[row] = id;
                existed[row] = true;
                existing++;
            }
        }
        Check.that(inserted + existing == rows.size(), "every entry of the batch is posted or existed ("
                + inserted + " + " + existing + " of " + rows.size() + ")");
        List<String> existingIds = new ArrayList<>(existing);
        long linesExpected = 0;
        for (int r = 0; r < rows.size(); r++) {
            if (existed[r]) {
                existingIds.add(finalIds[r]);
            } else {
                linesExpected += rows.get(r).lines().size();
            }
        }
        Check.that(counts[1] == linesExpected, "every line of the posted entries is written");

        List<String> entryIds = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            entryIds.add(finalIds[rowOf[i]]);
        }
        return new BatchResult(inserted, existing, size - rows.size(), entryIds, existingIds);
    }

    /** Every account of every line is in the chart (cached by {@link Accounts}), before anything is written. */
    private void requireAccounts(List<NewEntry> entries) {
        Map<String, Boolean> known = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            NewEntry entry = entries.get(i);
            Check.that(entry != null, "a batch has no null entries");
            List<Posting> lines = entry.lines();
            for (int j = 0; j < lines.size(); j++) {
                String code = lines.get(j).account();
                if (!known.computeIfAbsent(code, c -> accounts.find(c).isPresent())) {
                    throw MoneytrailException.invalid("account_unknown", "entries[" + i + "].lines[" + j + "][account]",
                            "no account " + code + " in the chart of accounts");
                }
            }
        }
    }

    /**
     * Entries that reverse another name an existing entry that no entry of another source
     * reverses yet, as {@link Journal#reverse} requires (the unique index on {@code reverses}
     * stays the last word when two reversals race). Costs a query only for batches with reversals.
     */
    private void requireReversible(List<NewEntry> rows, int[] firstIndexOfRow) {
        Map<String, Integer> rowByReversed = new HashMap<>();
        for (int r = 0; r < rows.size(); r++) {
            String reversed = rows.get(r).reverses();
            if (reversed != null && rowByReversed.putIfAbsent(reversed, r) != null) {
                throw alreadyReversed(reversed, firstIndexOfRow[r]);
            }
        }
        if (rowByReversed.isEmpty()) {
            return;
        }
        Map<String, String> reversedBy = new HashMap<>();
        jdbc.query("""
                        select r.id, (select x.source_type || ' ' || x.source_id from journal_entries x
                                      where x.reverses = r.id)
                        from journal_entries r where r.id = any(?)
                        """, rs -> {
                    reversedBy.put(rs.getString(1), rs.getString(2) == null ? "" : rs.getString(2));
                }, (Object) rowByReversed.keySet().toArray(new String[0]));
        rowByReversed.forEach((reversed, r) -> {
            NewEntry entry = rows.get(r);
            String by = reversedBy.get(reversed);
            if (by == null) {
                throw MoneytrailException.invalid("entry_unknown", "entries[" + firstIndexOfRow[r] + "][reverses]",
                        "no journal entry " + reversed + " to reverse");
            }
            if (!by.isEmpty() && !by.equals(entry.sourceType() + ' ' + entry.sourceId())) {
                throw alreadyReversed(reversed, firstIndexOfRow[r]);
            }
        });
    }

    private static MoneytrailException alreadyReversed(String reversed, int index) {
        return new MoneytrailException(ErrorType.STATE, 409, "entry_already_reversed",
                "entries[" + index + "][reverses]", "entry " + reversed + " is already reversed;"
                        + " an entry can be reversed once");
    }

    /**
     * Each row's order creation instant: as its poster gave it, else looked up for the rows of an
     * order that did not (a statement per {@value OrderSummaries#PAGE_MAX} such orders; none when every
     * row gives it or has no order).
     */
    private Instant[] orderCreated(List<NewEntry> rows) {
        Instant[] created = new Instant[rows.size()];
        List<String> unknown = new ArrayList<>();
        for (int r = 0; r < created.length; r++) {
            NewEntry row = rows.get(r);
            created[r] = row.orderCreatedAt();
            if (created[r] == null && row.orderId() != null) {
                unknown.add(row.orderId());
            }
        }
        if (unknown.isEmpty()) {
            return created;
        }
        List<String> distinct = unknown.stream().distinct().toList();
        Map<String, Instant> found = new HashMap<>();
        for (int start = 0; start < distinct.size(); start += OrderSummaries.PAGE_MAX) {
            found.putAll(orders.createdAt(distinct.subList(start, Math.min(distinct.size(),
                    start + OrderSummaries.PAGE_MAX))));
        }
        for (int r = 0; r < created.length; r++) {
            if (created[r] == null && rows.get(r).orderId() != null) {
                created[r] = found.get(rows.get(r).orderId());
            }
        }
        return created;
    }

    private static long[] insert(Connection con, List<NewEntry> rows, Integer[] order, List<byte[]> fingerprints,
                                 String[] ids, Instant recordedAt, Instant[] orderCreated) throws SQLException {
        int n = rows.size();
        String[] entryIds = new String[n];
        byte[][] entryFingerprints = new byte[n][];
        String[] sourceTypes = new String[n];
        String[] sourceIds = new String[n];
        String[] orderIds = new String[n];
        long[] effectiveMicros = new long[n];
        String[] descriptions = new String[n];
        String[] reverses = new String[n];
        String[] actors = new String[n];
        String[] reasons = new String[n];
        Long[] orderCreatedMicros = new Long[n];
        String[] pspCurrencies = new String[n];
        Long[] pspMinor = new Long[n];
        int lineCount = 0;
        for (int s = 0; s < n; s++) {
            int r = order[s];
            NewEntry entry = rows.get(r);
            entryIds[s] = ids[r];
            entryFingerprints[s] = fingerprints.get(r);
            sourceTypes[s] = entry.sourceType();
            sourceIds[s] = entry.sourceId();
            orderIds[s] = entry.orderId();
            effectiveMicros[s] = epochMicros(entry.effectiveAt());
            descriptions[s] = entry.description();
            reverses[s] = entry.reverses();
            actors[s] = entry.actor();
            reasons[s] = entry.reason();
            orderCreatedMicros[s] = orderCreated[r] == null ? null : epochMicros(orderCreated[r]);
            pspMinor[s] = entry.providerMinor();
            pspCurrencies[s] = pspMinor[s] == null ? null : entry.currency().getCurrencyCode();
            lineCount += entry.lines().size();
        }
        String[] lineEntries = new String[lineCount];
        short[] lineNos = new short[lineCount];
        String[] lineAccounts = new String[lineCount];
        long[] lineAmounts = new long[lineCount];
        String[] lineCurrencies = new String[lineCount];
        int k = 0;
        for (int s = 0; s < n; s++) {
            int r = order[s];
            List<Posting> lines = rows.get(r).lines();
            for (int j = 0; j < lines.size(); j++, k++) {
                Posting line = lines.get(j);
                lineEntries[k] = ids[r];
                lineNos[k] = (short) j;
                lineAccounts[k] = line.account();
                lineAmounts[k] = line.amount().amountMinor();
                lineCurrencies[k] = line.amount().currencyCode();
            }
        }
        PGConnection pg = con.unwrap(PGConnection.class);
        List<Array> arrays = new ArrayList<>();
        try (PreparedStatement statement = con.prepareStatement(INSERT)) {
            int p = 1;
            statement.setTimestamp(p++, Timestamp.from(recordedAt));
            statement.setArray(p++, track(arrays, con.createArrayOf("text", entryIds)));
            statement.setArray(p++, track(arrays, con.createArrayOf("text", sourceTypes)));
            statement.setArray(p++, track(arrays, con.createArrayOf("text", sourceIds)));
            statement.setArray(p++, track(arrays, pg.createArrayOf("bytea", entryFingerprints)));
            statement.setArray(p++, track(arrays, con.createArrayOf("text", orderIds)));
            statement.setArray(p++, track(arrays, pg.createArrayOf("int8", effectiveMicros)));
            statement.setArray(p++, track(arrays, con.createArrayOf("text", descriptions)));
            statement.setArray(p++, track(arrays, con.createArrayOf("text", reverses)));
            statement.setArray(p++, track(arrays, con.createArrayOf("text", actors)));
            statement.setArray(p++, track(arrays, con.createArrayOf("text", reasons)));
            statement.setArray(p++, track(arrays, con.createArrayOf("int8", orderCreatedMicros)));
            statement.setArray(p++, track(arrays, con.createArrayOf("text", pspCurrencies)));
            statement.setArray(p++, track(arrays, con.createArrayOf("int8", pspMinor)));
            statement.setArray(p++, track(arrays, con.createArrayOf("text", lineEntries)));
            statement.setArray(p++, track(arrays, pg.createArrayOf("int2", lineNos)));
            statement.setArray(p++, track(arrays, con.createArrayOf("text", lineAccounts)));
            statement.setArray(p++, track(arrays, pg.createArrayOf("int8", lineAmounts)));
            statement.setArray(p, track(arrays, con.createArrayOf("text", lineCurrencies)));
            try (ResultSet rs = statement.executeQuery()) {
                Check.that(rs.next(), "the bulk insert answers its counts");
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        } finally {
            for (Array array : arrays) {
                array.free();
            }
        }
    }

    private static List<Object[]> existing(Connection con, List<NewEntry> rows) throws SQLException {
        String[] sourceTypes = new String[rows.size()];
        String[] sourceIds = new String[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            sourceTypes[r] = rows.get(r).sourceType();
            sourceIds[r] = rows.get(r).sourceId();
        }
        List<Object[]> found = new ArrayList<>();
        try (PreparedStatement statement = con.prepareStatement(EXISTING)) {
            Array types = con.createArrayOf("text", sourceTypes);
            Array sources = con.createArrayOf("text", sourceIds);
            statement.setArray(1, types);
            statement.setArray(2, sources);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    found.add(new Object[] {Math.toIntExact(rs.getLong(1) - 1), rs.getString(2), rs.getBytes(3)});
                }
            } finally {
                types.free();
                sources.free();
            }
        }
        return found;
    }

    private static Array track(List<Array> arrays, Array array) {
        arrays.add(array);
        return array;
    }

    /** Microseconds since the epoch, rounded half up as the JDBC driver rounds a {@link Timestamp}. */
    static long epochMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), (instant.getNano() + 500) / 1000);
    }

    private static MoneytrailException alreadyPosted(NewEntry entry, int index, String why) {
        return new MoneytrailException(ErrorType.INVALID_REQUEST, 409, "source_already_posted",
                "entries[" + index + "]", entry.sourceType() + " " + entry.sourceId() + " " + why);
    }
}
