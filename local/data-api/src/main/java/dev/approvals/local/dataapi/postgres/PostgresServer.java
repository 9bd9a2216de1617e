package dev.approvals.local.dataapi.postgres;

import java.util.Properties;

/** A PostgreSQL server the emulator talks to: the embedded one, or an external one given by JDBC URL. */
public interface PostgresServer extends AutoCloseable {

    /** JDBC URL of {@code database} on this server, without credentials. */
    String jdbcUrl(String database);

    /** The database the server was started with (the emulator's default database). */
    String defaultDatabase();

    /** User name of the account the emulator administers the server with (creates databases, migrates). */
    String adminUser();

    /** Password of {@link #adminUser()}. */
    String adminPassword();

    /** Connection properties every connection gets (besides user and password). */
    Properties connectionProperties();

    /** Stops the server if this process started it; an external server is left alone. */
    @Override
    void close();
}
