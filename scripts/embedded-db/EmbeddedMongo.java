import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import org.h2.mvstore.MVStore;

import java.io.File;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

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

    /**
     * Group commit on an MVStore: a write takes a ticket after its change is applied; one committer
     * thread commits whatever has been written since the last commit and then releases every reply
     * that the commit covers. Nothing blocks while waiting: the reply is held in the connection's
     * pipeline (HeldReplies) and written by the connection's own event loop once its ticket is
     * committed, so a few netty threads serve any number of pooled connections and a connection
     * waiting for a commit never holds up another one sharing its thread.
     */
    static final class Committer implements Runnable {
        private static final java.nio.file.Path STALL_FILE = System.getenv("CLAUSEWISE_DB_TEST_STALL_FILE") == null ? null : java.nio.file.Path.of(System.getenv("CLAUSEWISE_DB_TEST_STALL_FILE"));
        private final MVStore store;
        private final boolean fsync;
        private long requested = 0; // tickets handed out (guarded by this)
        private volatile long committed = 0; // highest ticket whose change is in the file
        private volatile boolean closed = false;
        /** Connections holding replies for a commit to come. */
        final Set<HeldReplies> waiting = ConcurrentHashMap.newKeySet();
        // Diagnostics (CLAUSEWISE_DB_STATS=file): commits a second and their time.
        final AtomicLong statCommits = new AtomicLong();
        final AtomicLong statCommitNanos = new AtomicLong();
        final AtomicLong statCommitMax = new AtomicLong();
        final AtomicLong statTickets = new AtomicLong();

        Committer(MVStore store, boolean fsync) {
            this.store = store;
            this.fsync = fsync;
        }

        /** Called after a write has been applied: the ticket a commit must reach before its reply. */
        synchronized long ticket() {
            statTickets.incrementAndGet();
            long ticket = ++requested;
            notifyAll();
            return ticket;
        }

        long committed() {
            return committed;
        }

        boolean closed() {
            return closed;
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
                    // Tests only: while this file exists the commit waits, so writes stall and reads
                    // and pings are still answered (test/e2e/embedded-db-hang.test.ts).
                    while (STALL_FILE != null && java.nio.file.Files.exists(STALL_FILE)) Thread.sleep(20);
                    long started = System.nanoTime();
                    store.commit();
                    if (fsync) store.sync();
                    long took = System.nanoTime() - started;
                    statCommits.incrementAndGet();
                    statCommitNanos.addAndGet(took);
                    statCommitMax.accumulateAndGet(took, Math::max);
                } catch (Throwable error) {
                    // The file is in an unknown state: never acknowledge, stop, and let the supervisor
                    // restart from what the file holds.
                    System.err.println("embedded database: commit failed, stopping: " + error);
                    System.err.flush();
                    Runtime.getRuntime().halt(3);
                }
                committed = target;
                for (HeldReplies replies : waiting) replies.release();
            }
        }

        synchronized void close() {
            closed = true;
            notifyAll();
            // Replies still held were never made durable: drop their connections, so the clients
            // see a network error (not confirmed) rather than an acknowledgement.
            for (HeldReplies replies : waiting) replies.release();
        }
    }

    /**
     * The last handler of a connection's pipeline: holds a write's reply until the commit that
     * contains the write, and keeps replies in order. Runs on the connection's event loop only.
     */
    static final class HeldReplies extends ChannelOutboundHandlerAdapter {
        private record Held(Object message, ChannelPromise promise, long ticket) {}

        private final Committer committer;
        private final ArrayDeque<Held> held = new ArrayDeque<>();
        private ChannelHandlerContext context;
        /** Set by the backend while handling a write, read by the write of its reply. */
        long ticketOfNextReply = 0;

        HeldReplies(Committer committer) {
            this.committer = committer;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            context = ctx;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
            long ticket = ticketOfNextReply;
            ticketOfNextReply = 0;
            if (held.isEmpty() && ticket <= committer.committed()) {
                ctx.write(message, promise);
                return;
            }
            held.add(new Held(message, promise, ticket));
            // Registered before looking at `committed` again: either this sees the commit, or the
            // committer (which updates `committed` before releasing) sees this connection.
            committer.waiting.add(this);
            drain();
        }

        /** From the committer thread: continue on the connection's event loop. */
        void release() {
            context.executor().execute(this::drain);
        }

        private void drain() {
            boolean wrote = false;
            while (!held.isEmpty() && held.peek().ticket() <= committer.committed()) {
                Held next = held.poll();
                context.write(next.message(), next.promise());
                wrote = true;
            }
            if (wrote) context.flush();
            if (held.isEmpty()) {
                committer.waiting.remove(this);
            } else if (committer.closed()) {
                dropHeld();
                context.close();
            }
        }

        private void dropHeld() {
            for (Held next; (next = held.poll()) != null; ) {
                ReferenceCountUtil.release(next.message());
                next.promise().tryFailure(new IllegalStateException("the database is shutting down; the write was not confirmed"));
            }
            committer.waiting.remove(this);
        }

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
            dropHeld();
            super.close(ctx, promise);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            dropHeld();
        }
    }

    /**
     * mongo-java-server adds a new index to a collection's index list while other connections'
     * inserts, upserts and queries iterate that list; the loser gets a ConcurrentModificationException,
     * answered as "Unknown error: null" (seen when a fresh database's indexes are created while the
     * app's first writes run). Commands that change collections or indexes therefore run alone, every
     * other command shares the lock. Uncontended after start-up, when indexes already exist.
     */
    static final class CatalogGuard {
        private static final Set<String> CATALOG_COMMANDS = Set.of(
            "createIndexes", "dropIndexes", "deleteIndexes", "create", "drop", "dropDatabase", "renameCollection", "collMod");
        private static final ReentrantReadWriteLock LOCK = new ReentrantReadWriteLock();

        static Document handle(MongoMessage message, Function<MongoMessage, Document> handler) {
            Document command = message.getDocument();
            String name = command.isEmpty() ? "" : command.keySet().iterator().next();
            Lock lock = CATALOG_COMMANDS.contains(name) ? LOCK.writeLock() : LOCK.readLock();
            lock.lock();
            try {
                return handler.apply(message);
            } catch (RuntimeException e) {
                // The server answers an unexpected exception with "Unknown error: <message>" and, with
                // its logging off, nothing else: the stack goes to stderr, which the app's log carries.
                if (!(e instanceof MongoServerException)) {
                    System.err.println("[embedded-db] unexpected " + e + " in '" + name + "' on " + command.get(name));
                    e.printStackTrace(System.err);
                }
                throw e;
            } finally {
                lock.unlock();
            }
        }
    }

    static final class GuardedMemoryBackend extends MemoryBackend {
        @Override
        public Document handleMessage(MongoMessage message) {
            return CatalogGuard.handle(message, super::handleMessage);
        }
    }

    static final class GuardedH2Backend extends H2Backend {
        GuardedH2Backend(String file) {
            super(file);
        }

        @Override
        public Document handleMessage(MongoMessage message) {
            return CatalogGuard.handle(message, super::handleMessage);
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
                return CatalogGuard.handle(message, super::handleMessage);
            } finally {
                // Also after an error: part of a bulk write may have been applied.
                if (changesData(message.getDocument())) holdReply(message.getChannel());
            }
        }

        /** The reply that the handler is about to write on this channel waits for a new ticket. */
        private void holdReply(Channel channel) {
            if (channel == null) throw new MongoServerException("the write could not be confirmed");
            ChannelPipeline pipeline = channel.pipeline();
            HeldReplies replies = pipeline.get(HeldReplies.class);
            if (replies == null) {
                replies = new HeldReplies(committer);
                pipeline.addLast("clausewise-held-replies", replies);
            }
            replies.ticketOfNextReply = committer.ticket();
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

    /** Diagnostics: one line a second with the commits, their mean and longest time, and the writes they covered. */
    private static void startStats(Committer committer, String statsFile) {
        Thread stats = new Thread(() -> {
            try (java.io.PrintWriter out = new java.io.PrintWriter(new java.io.FileWriter(statsFile, true), true)) {
                while (true) {
                    Thread.sleep(1000);
                    long commits = committer.statCommits.getAndSet(0), nanos = committer.statCommitNanos.getAndSet(0), longest = committer.statCommitMax.getAndSet(0);
                    long writes = committer.statTickets.getAndSet(0);
                    out.printf("%d commits=%d mean=%.2fms max=%.2fms writes=%d%n", System.currentTimeMillis(), commits, commits == 0 ? 0 : nanos / 1e6 / commits, longest / 1e6, writes);
                }
            } catch (Exception e) {
                // diagnostics only
            }
        }, "clausewise-db-stats");
        stats.setDaemon(true);
        stats.start();
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
                backend = new GuardedH2Backend(file);
            } else {
                // Background auto-commit stays on (it also compacts the file); the committer makes
                // every acknowledged write durable before its reply.
                MVStore store = new MVStore.Builder().fileName(file).open();
                Committer committer = new Committer(store, "fsync".equals(durability));
                Thread thread = new Thread(committer, "clausewise-group-commit");
                thread.setDaemon(true);
                thread.start();
                String statsFile = System.getenv("CLAUSEWISE_DB_STATS");
                if (statsFile != null && !statsFile.isEmpty()) startStats(committer, statsFile);
                backend = new DurableH2Backend(store, committer);
            }
        } else {
            backend = new GuardedMemoryBackend();
        }
        MongoServer server = new MongoServer(backend);
        // Replies that wait for the group commit are held in their connection's pipeline, not on a
        // thread, so netty's default number of event-loop threads serves every connection.
        server.bind(new InetSocketAddress(host, port));
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
