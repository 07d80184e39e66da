package io.moneytrail.api;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.moneytrail.database.DatabaseEndpoint;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The connections that hold idempotency claims open while their requests run. A pool of its
 * own, so that requests holding claims can never starve their own work of connections.
 */
@Component
class IdempotencyClaims implements AutoCloseable {

    private final HikariDataSource dataSource;

    IdempotencyClaims(DatabaseEndpoint endpoint, @Value("${moneytrail.api.idempotency-pool-size:32}") int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("idempotency");
        config.setJdbcUrl(endpoint.jdbcUrl());
        config.setUsername(endpoint.username());
        config.setPassword(endpoint.password());
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        this.dataSource = new HikariDataSource(config);
    }

    DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
