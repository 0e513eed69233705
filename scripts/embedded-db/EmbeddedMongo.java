import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import org.h2.mvstore.MVStore;

import java.io.File;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

/**
 * Starts mongo-java-server on loopback for Clausewise's embedded default.
 * Usage: java -cp "lib/*" EmbeddedMongo.java [--file data/clausewise.mv] [--host 127.0.0.1] [--port 0]
 *        [--durability commit|fsync|none]
 * Without --file the data lives in memory (tests). Prints "LISTENING host:port" once bound.
 * The server exits when its standard input closes, so it never outlives the Node process that started it.
 *
 * Durability (file only; see docs/decisions/005-durable-acknowledgement.md):
 *   commit (default) a write's reply is sent only after the H2 MVStore commit that contains it has
 *                    been written to the file (the OS page cache): survives kill -9 of this process;
 *   fsync            the same, and the file is forced to the disk (fsync) before the reply: survives
 *                    a power cut;
 *   none             H2's background auto-commit (about once a second): a crash loses the last moments.
 * Concurrent writers share one commit (group commit): a single committer thread commits whatever
 * has been written since the last commit, then releases every reply that the commit covers.
 */
public class EmbeddedMongo {
    /** Commands that never change data: their replies do not wait for a commit. */
    private static final Set<String> READ_COMMANDS = Set.of(
        "find", "getMore", "count", "distinct", "listCollections", "listIndexes", "listDatabases",
        "hello", "isMaster", "ismaster", "ping", "buildInfo", "buildinfo", "serverStatus", "hostInfo",
        "getParameter", "getCmdLineOpts", "getLog", "whatsmyuri", "connectionStatus", "getLastError",
        "endSessions", "killCursors", "dbStats", "collStats", "validate", "explain", "currentOp",
        "saslStart", "saslContinue", "getFreeMonitoringStatus");

    /** Group commit on an MVStore: writers take a ticket after their change and wait for a commit that covers it. */
    static final class Committer implements Runnable {
        private final MVStore store;
        private final boolean fsync;
        private long requested = 0; // tickets handed out
        private long committed = 0; // highest ticket whose change is in the file
        private boolean closed = false;

        Committer(MVStore store, boolean fsync) {
            this.store = store;
            this.fsync = fsync;
        }

        /** Called after a write has been applied: returns once a commit (and fsync) containing it is done. */
        void awaitDurable() {
            synchronized (this) {
                long ticket = ++requested;
                notifyAll();
                boolean interrupted = false;
                while (committed < ticket && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) Thread.currentThread().interrupt();
                if (committed < ticket) throw new MongoServerException("the database is shutting down; the write was not confirmed");
            }
        }

        @Override
        public void run() {
            while (true) {
                long target;
                synchronized (this) {
                    while (requested == committed && !closed) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    if (closed) return;
                    target = requested;
                }
                try {
                    store.commit();
                    if (fsync) store.sync();
                } catch (Throwable error) {
                    // The file is in an unknown state: never acknowledge, stop, and let the supervisor
                    // restart from what the file holds.
                    System.err.println("embedded database: commit failed, stopping: " + error);
                    System.err.flush();
                    Runtime.getRuntime().halt(3);
                }
                synchronized (this) {
                    committed = target;
                    notifyAll();
                }
            }
        }

        synchronized void close() {
            closed = true;
            notifyAll();
        }
    }

    /** H2Backend whose write replies wait for the group commit. */
    static final class DurableH2Backend extends H2Backend {
        private final Committer committer;

        DurableH2Backend(MVStore store, Committer committer) {
            super(store);
            this.committer = committer;
        }

        @Override
        public Document handleMessage(MongoMessage message) {
            try {
                return super.handleMessage(message);
            } finally {
                // Also after an error: part of a bulk write may have been applied.
                if (changesData(message.getDocument())) committer.awaitDurable();
            }
        }

        private static boolean changesData(Document command) {
            if (command.isEmpty()) return false;
            String name = command.keySet().iterator().next();
            if (!"aggregate".equals(name)) return !READ_COMMANDS.contains(name);
            // $out and $merge stages write; a plain aggregation does not.
            if (command.get("pipeline") instanceof List<?> stages) {
                for (Object stage : stages) {
                    if (stage instanceof Document d && (d.containsKey("$out") || d.containsKey("$merge"))) return true;
                }
            }
            return false;
        }

        @Override
        public void close() {
            super.close(); // closes the MVStore, which commits what is left
            committer.close();
        }
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 0;
        String file = null;
        String durability = "commit";
        for (int i = 0; i < args.length - 1; i += 2) {
            switch (args[i]) {
                case "--host" -> host = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--file" -> file = args[i + 1];
                case "--durability" -> durability = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!Set.of("commit", "fsync", "none").contains(durability)) {
            throw new IllegalArgumentException("--durability must be commit, fsync or none, not " + durability);
        }
        MongoBackend backend;
        if (file != null) {
            File parent = new File(file).getAbsoluteFile().getParentFile();
            if (parent != null) parent.mkdirs();
            if ("none".equals(durability)) {
                backend = new H2Backend(file);
            } else {
                // Background auto-commit stays on (it also compacts the file); the committer makes
                // every acknowledged write durable before its reply.
                MVStore store = new MVStore.Builder().fileName(file).open();
                Committer committer = new Committer(store, "fsync".equals(durability));
                Thread thread = new Thread(committer, "clausewise-group-commit");
                thread.setDaemon(true);
                thread.start();
                backend = new DurableH2Backend(store, committer);
            }
        } else {
            backend = new MemoryBackend();
        }
        MongoServer server = new MongoServer(backend);
        // Write replies wait for the group commit on the worker thread that handles the connection,
        // so give each pooled driver connection a thread of its own (the driver's pool holds up to 100).
        int workers = file != null && !"none".equals(durability) ? 128 : 0;
        server.bind(new InetSocketAddress(host, port), 0, workers);
        InetSocketAddress address = server.getLocalAddress();

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // shutdownNow closes the backend, which commits and closes the H2 MVStore file.
            server.shutdownNow();
        }));

        System.out.println("LISTENING " + address.getHostString() + ":" + address.getPort() + " durability=" + (file == null ? "memory" : durability));
        System.out.flush();

        while (System.in.read() != -1) {
            // drain: the parent never writes; end-of-stream means it has gone away
        }
        System.exit(0);
    }
}
