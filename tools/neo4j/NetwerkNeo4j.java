/*
 * Test Neo4j server for netwerk: an in-process Neo4j Community 5.26 (org.neo4j.test:neo4j-harness)
 * with Bolt on 127.0.0.1. Started by scripts/neo4j; not meant for production data.
 *
 * Usage:
 *   java [--add-opens ...] -cp <classpath> NetwerkNeo4j DATA_DIR [PORT] [--plugins DIR] [--pagecache SIZE]
 *                                                       [--watch-stdin] [--watch-pid PID]
 *
 *   DATA_DIR      parent directory; the harness creates a random sub-folder in it (deleted on shutdown)
 *   PORT          Bolt port on 127.0.0.1; 0 or absent = pick a free port
 *   --plugins     directory with procedure jars (e.g. APOC core); apoc.* is then allowed unrestricted
 *   --pagecache   page cache size, e.g. 512m (default), 1g
 *   --watch-stdin shut down when stdin reaches EOF (do not use with stdin = /dev/null)
 *   --watch-pid P shut down when process P is gone (so a killed test run cannot leak a server)
 *
 * Neo4j's own log (neo4j.log) is in the harness folder under DATA_DIR.
 * Prints "NEO4J_READY bolt://127.0.0.1:PORT" on stdout once Bolt accepts connections, and
 * "NEO4J_STOPPED" after a clean shutdown (SIGTERM / SIGINT / stdin EOF). Auth is disabled.
 */

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;

public final class NetwerkNeo4j {
    private static final String HOST = "127.0.0.1";

    private NetwerkNeo4j() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = null;
        int port = 0;
        Path pluginDir = null;
        long pageCache = parseSize("512m");
        boolean watchStdin = false;
        long watchPid = -1;

        int positional = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--plugins" -> pluginDir = Path.of(requireValue(args, ++i, a)).toAbsolutePath();
                case "--pagecache" -> pageCache = parseSize(requireValue(args, ++i, a));
                case "--watch-stdin" -> watchStdin = true;
                case "--watch-pid" -> watchPid = Long.parseLong(requireValue(args, ++i, a));
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> {
                    if (a.startsWith("--")) {
                        fail("unknown option " + a);
                    } else if (positional == 0) {
                        dataDir = Path.of(a).toAbsolutePath();
                        positional++;
                    } else if (positional == 1) {
                        port = Integer.parseInt(a);
                        positional++;
                    } else {
                        fail("too many arguments");
                    }
                }
            }
        }
        if (dataDir == null) {
            usage();
            System.exit(2);
        }
        if (port == 0) {
            port = freePort();
        }
        Files.createDirectories(dataDir);

        Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(dataDir)
                .withDisabledServer() // no HTTP/HTTPS: the project only speaks Bolt
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .withConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                .withConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                .withConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .withConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                .withConfig(GraphDatabaseSettings.udc_enabled, false) // no usage-data phone-home
                // Internal settings: without them each Netty event-loop group idles for its quiet
                // period on shutdown and a stop takes ~11 s instead of ~1 s.
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(3));
        if (pluginDir != null) {
            builder = builder
                    .withConfig(GraphDatabaseSettings.plugin_dir, pluginDir)
                    .withConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*"));
        }

        // LOAD CSV reads file:/// URLs from this folder (used by bench/bench_ingest.py).
        String importDir = System.getenv("NETWERK_NEO4J_IMPORT_DIR");
        if (importDir != null && !importDir.isBlank()) {
            builder = builder.withConfig(GraphDatabaseSettings.load_csv_file_url_root, Path.of(importDir).toAbsolutePath());
        }

        long t0 = System.nanoTime();
        final Neo4j neo4j;
        try {
            neo4j = builder.build();
        } catch (Throwable e) {
            System.err.println("NEO4J_FAILED " + e);
            e.printStackTrace();
            System.out.flush();
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                neo4j.close();
                System.out.println("NEO4J_STOPPED");
            } catch (Throwable e) {
                System.err.println("NEO4J_STOP_FAILED " + e);
            } finally {
                System.out.flush();
                stopped.countDown();
            }
        }, "netwerk-neo4j-shutdown"));

        String version = "?";
        try {
            List<Map<String, Object>> rows = neo4j.defaultDatabaseService().executeTransactionally(
                    "CALL dbms.components() YIELD name, versions, edition RETURN name, versions[0] AS v, edition",
                    Map.of(),
                    r -> r.stream().toList());
            if (!rows.isEmpty()) {
                Map<String, Object> row = rows.get(0);
                version = row.get("name") + " " + row.get("v") + " " + row.get("edition");
            }
        } catch (Throwable e) {
            version = "unknown (" + e + ")";
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        int boltPort = neo4j.boltURI().getPort();
        System.out.println("NEO4J_INFO " + version + ", started in " + ms + " ms, pagecache "
                + pageCache / (1024 * 1024) + "m" + (pluginDir != null ? ", plugins " + pluginDir : ""));
        // One write for the whole line: scripts/neo4j polls this file.
        System.out.print("NEO4J_READY bolt://" + HOST + ":" + (boltPort > 0 ? boltPort : port) + "\n");
        System.out.flush();

        if (watchStdin) {
            Thread t = new Thread(() -> {
                try (InputStream in = System.in) {
                    byte[] buf = new byte[256];
                    while (in.read(buf) >= 0) {
                        // discard
                    }
                } catch (IOException ignored) {
                    // treat like EOF
                }
                System.exit(0); // runs the shutdown hook
            }, "netwerk-neo4j-stdin");
            t.setDaemon(true);
            t.start();
        }
        if (watchPid > 0) {
            final long parent = watchPid;
            Thread t = new Thread(() -> {
                while (true) {
                    boolean alive = ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false);
                    if (!alive) {
                        System.out.println("NEO4J_WATCHED_PID_GONE " + parent);
                        System.exit(0); // runs the shutdown hook
                    }
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "netwerk-neo4j-watch-pid");
            t.setDaemon(true);
            t.start();
        }
        stopped.await(); // keep the JVM alive until the shutdown hook has closed Neo4j
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static long parseSize(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (v.endsWith("k")) {
            mult = 1024L;
        } else if (v.endsWith("m")) {
            mult = 1024L * 1024;
        } else if (v.endsWith("g")) {
            mult = 1024L * 1024 * 1024;
        }
        if (mult != 1) {
            v = v.substring(0, v.length() - 1);
        }
        return Long.parseLong(v) * mult;
    }

    private static String requireValue(String[] args, int i, String opt) {
        if (i >= args.length) {
            fail(opt + " needs a value");
        }
        return args[i];
    }

    private static void usage() {
        System.err.println("usage: NetwerkNeo4j DATA_DIR [PORT] [--plugins DIR] [--pagecache SIZE] [--watch-stdin] [--watch-pid PID]");
    }

    private static void fail(String msg) {
        System.err.println("NetwerkNeo4j: " + msg);
        usage();
        System.exit(2);
    }
}
