package io.moneytrail.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the role the service runs as may do in a schema: read and write rows (select, insert,
 * update, delete on tables; usage and select on sequences), nothing else. It owns nothing, so
 * it cannot alter or drop a table, nor drop or disable a trigger; it has no TRUNCATE (which
 * would skip the row triggers' checks) and no write access to Flyway's history.
 *
 * <p>Run by the owner after every migration (core and sandbox), so tables added by any later
 * migration are covered even if the runtime role changed; the default privileges cover
 * tables the owner creates between two starts. Nothing is done when the service runs as the
 * owner itself (an external database with no separate migration user).
 */
public final class RuntimeGrants {

    private static final Logger log = LoggerFactory.getLogger(RuntimeGrants.class);
    static final String HISTORY_TABLE = "flyway_schema_history";

    private RuntimeGrants() {
    }

    /**
     * The Flyway callback that applies these grants after every migration, as the owner, in the
     * schema Flyway migrated ({@code schema}, or the connection's current schema when null).
     */
    public static Callback afterMigrate(DatabaseEndpoint endpoint, String schema, String name) {
        return new Callback() {
            @Override
            public boolean supports(Event event, Context context) {
                return event == Event.AFTER_MIGRATE;
            }

            @Override
            public boolean canHandleInTransaction(Event event, Context context) {
                return true;
            }

            @Override
            public void handle(Event event, Context context) {
                Connection owner = context.getConnection();
                try {
                    apply(owner, schema != null ? schema : currentSchema(owner), endpoint);
                } catch (SQLException e) {
                    throw new IllegalStateException(name + ": cannot grant the runtime role its access: "
                            + e.getMessage(), e);
                }
            }

            @Override
            public String getCallbackName() {
                return name;
            }
        };
    }

    private static String currentSchema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             var schema = statement.executeQuery("select current_schema()")) {
            schema.next();
            return schema.getString(1);
        }
    }

    public static void apply(Connection owner, String schema, DatabaseEndpoint endpoint) throws SQLException {
        if (!endpoint.separateOwner()) {
            return;
        }
        String role = quote(endpoint.username());
        String in = quote(schema);
        List<String> statements = List.of(
                "grant usage on schema " + in + " to " + role,
                "grant select, insert, update, delete on all tables in schema " + in + " to " + role,
                "grant usage, select on all sequences in schema " + in + " to " + role,
                "alter default privileges in schema " + in + " grant select, insert, update, delete on tables to " + role,
                "alter default privileges in schema " + in + " grant usage, select on sequences to " + role);
        try (Statement statement = owner.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
            // reading the history lets a second instance, started as the runtime role, see it is up to date
            statement.execute("do $$ begin if to_regclass('" + schema + "." + HISTORY_TABLE + "') is not null then"
                    + " execute 'revoke insert, update, delete, truncate on " + in + "." + HISTORY_TABLE + " from "
                    + role.replace("'", "''") + "'; end if; end $$");
        }
        log.debug("granted row access in schema {} to {}", schema, endpoint.username());
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
