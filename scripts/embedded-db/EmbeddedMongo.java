import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.io.File;
import java.net.InetSocketAddress;

/**
 * Starts mongo-java-server on loopback for Clausewise's embedded default.
 * Usage: java -cp "lib/*" EmbeddedMongo.java [--file data/clausewise.mv] [--host 127.0.0.1] [--port 0]
 * Without --file the data lives in memory (tests). Prints "LISTENING host:port" once bound.
 * The server exits when its standard input closes, so it never outlives the Node process that started it.
 */
public class EmbeddedMongo {
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
        MongoBackend backend;
        if (file != null) {
            File parent = new File(file).getAbsoluteFile().getParentFile();
            if (parent != null) parent.mkdirs();
            backend = new H2Backend(file);
        } else {
            backend = new MemoryBackend();
        }
        MongoServer server = new MongoServer(backend);
        server.bind(new InetSocketAddress(host, port));
        InetSocketAddress address = server.getLocalAddress();

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // shutdownNow closes the backend, which commits and closes the H2 MVStore file.
            server.shutdownNow();
        }));

        System.out.println("LISTENING " + address.getHostString() + ":" + address.getPort());
        System.out.flush();

        while (System.in.read() != -1) {
            // drain: the parent never writes; end-of-stream means it has gone away
        }
        System.exit(0);
    }
}
