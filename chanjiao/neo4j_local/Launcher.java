// Local Neo4j Community server without Docker (DESIGN section 6).
//
// Run:  java <jvm flags> -cp "$(cat cp.txt)" Launcher.java HOME_DIR PORT
// Starts an embedded DBMS in HOME_DIR with Bolt on 127.0.0.1:PORT (auth off),
// prints "READY bolt://127.0.0.1:PORT" and blocks until SIGTERM / SIGINT,
// which shuts the DBMS down cleanly through a shutdown hook.

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

public final class Launcher {
    private static final String HOST = "127.0.0.1";
    private static final long AVAILABLE_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(2);
    // Bolt waits 5 s twice by default while shutting down; a local test server needs no grace.
    private static final Duration BOLT_SHUTDOWN_WAIT = Duration.ofSeconds(1);

    private Launcher() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: Launcher HOME_DIR PORT");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);

        DatabaseManagementService dbms;
        try {
            dbms = build(home, port);
        } catch (RuntimeException e) {
            // Exit even if a failed start leaves non-daemon threads behind.
            e.printStackTrace();
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(dbms, stopped), "neo4j-shutdown"));

        String dbName = GraphDatabaseSettings.DEFAULT_DATABASE_NAME;
        if (!dbms.database(dbName).isAvailable(AVAILABLE_TIMEOUT_MS)) {
            System.err.println("database '" + dbName + "' did not become available");
            System.exit(1);
        }
        System.out.println("READY bolt://" + HOST + ":" + port);
        System.out.flush();
        stopped.await();
    }

    private static DatabaseManagementService build(Path home, int port) {
        return new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, BOLT_SHUTDOWN_WAIT)
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, BOLT_SHUTDOWN_WAIT)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(256))
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "keep_none")
                .build();
    }

    private static void shutdown(DatabaseManagementService dbms, CountDownLatch stopped) {
        System.out.println("STOPPING");
        System.out.flush();
        try {
            dbms.shutdown();
        } finally {
            System.out.println("STOPPED");
            System.out.flush();
            stopped.countDown();
        }
    }
}
