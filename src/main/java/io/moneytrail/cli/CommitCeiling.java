package io.moneytrail.cli;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * The database's raw durable commit rate: {@code threads} connections each inserting one row per
 * transaction (autocommit) into a scratch table for a few seconds. With fsync and
 * {@code synchronous_commit=on} every commit waits for its WAL flush (concurrent commits may share
 * one flush), so this is the most read-write transactions per second the server gives at that
 * concurrency, whatever the application does. The table is created and dropped by the owner role.
 */
final class CommitCeiling {

    static final String TABLE = "bench_commit_ceiling";

    private CommitCeiling() {
    }

    /** Commits per second over {@code duration}, after a short warm-up. */
    static double measure(DataSource owner, int threads, Duration duration) throws Exception {
        try (Connection c = owner.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop table if exists " + TABLE);
            s.execute("create table " + TABLE + " (id bigint generated always as identity primary key,"
                    + " worker int not null, at timestamptz not null default now())");
        }
        try {
            run(owner, threads, Duration.ofMillis(500));
            return run(owner, threads, duration) / (duration.toNanos() / 1e9);
        } finally {
            try (Connection c = owner.getConnection(); Statement s = c.createStatement()) {
                s.execute("drop table if exists " + TABLE);
            }
        }
    }

    private static long run(DataSource owner, int threads, Duration duration) throws Exception {
        LongAdder commits = new LongAdder();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long until = System.nanoTime() + duration.toNanos();
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                int worker = w;
                workers.add(pool.submit(() -> {
                    try (Connection c = owner.getConnection();
                         PreparedStatement insert = c.prepareStatement("insert into " + TABLE + " (worker) values (?)")) {
                        c.setAutoCommit(true);
                        insert.setInt(1, worker);
                        while (System.nanoTime() < until) {
                            insert.executeUpdate();
                            commits.increment();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdown();
        }
        return commits.sum();
    }

    /** A server setting as the given pool's sessions see it ({@code show <name>}). */
    static String show(DataSource dataSource, String setting) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("show " + setting)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
