package io.tsunagu.bench.load;

import io.tsunagu.server.fleet.CertificateAuthority;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The baseline broker: Debian's Mosquitto on a loopback port with a TLS listener that presents the Tsunagu server's
 * own certificate and requires client certificates from the same fleet CA, so the same cars (same keys, same
 * handshake cost) connect to both. No persistence: Mosquitto acknowledges QoS 1 from memory, which is what the
 * baseline stands for (a pass-through broker), while Tsunagu acknowledges only after its durable group commit.
 */
final class MosquittoBroker implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/mosquitto");
    private static final Logger LOG = LoggerFactory.getLogger(MosquittoBroker.class);

    private final Process process;
    private final int port;
    private final Path dir;

    private MosquittoBroker(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /**
     * Starts Mosquitto with the CA and server certificate found in {@code caDirectory} (the child server's).
     *
     * @throws IllegalStateException if Mosquitto is not installed ({@code apt-get install mosquitto})
     */
    static MosquittoBroker start(Path caDirectory) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(
                    BINARY + " not found: the baseline needs Debian's Mosquitto (apt-get install -y mosquitto)");
        }
        int port = FreePorts.next();
        try {
            // Mosquitto started as root drops to its own user before reading the certificates: keep them readable.
            Path dir = Files.createTempDirectory(
                    "tsunagu-bench-mosquitto",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Path ca = copyReadable(caDirectory.resolve(CertificateAuthority.CERT_FILE), dir);
            Path cert = copyReadable(caDirectory.resolve(CertificateAuthority.SERVER_CERT_FILE), dir);
            Path key = copyReadable(caDirectory.resolve(CertificateAuthority.SERVER_KEY_FILE), dir);
            Path conf = dir.resolve("mosquitto.conf");
            Files.writeString(conf, config(port, ca, cert, key));
            Path log = dir.resolve("mosquitto.log");
            Process process = new ProcessBuilder(List.of(BINARY.toString(), "-c", conf.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            MosquittoBroker broker = new MosquittoBroker(process, port, dir);
            broker.awaitListening();
            LOG.info("Started Mosquitto baseline, pid {}, port {}", process.pid(), port);
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Mosquitto", e);
        }
    }

    static String config(int port, Path ca, Path cert, Path key) {
        return String.join(
                "\n",
                "listener " + port + " 127.0.0.1",
                "cafile " + ca,
                "certfile " + cert,
                "keyfile " + key,
                "require_certificate true",
                "use_identity_as_username true",
                "allow_anonymous false",
                "persistence false",
                "max_connections -1",
                // A QoS 1 subscriber that falls behind must not lose messages (the default queue is 1,000).
                "max_queued_messages 0",
                // Unlimited in-flight lets Mosquitto 2.0.11 reuse packet ids still in flight to a slow subscriber.
                "max_inflight_messages 1000",
                "log_dest stdout",
                "log_type error",
                "log_type warning",
                "");
    }

    private static Path copyReadable(Path source, Path dir) throws IOException {
        Path target = dir.resolve(source.getFileName());
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        return target;
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Mosquitto exited with " + process.exitValue() + ": " + log());
            }
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                ChildServer.sleep(50);
            }
        }
        close();
        throw new IllegalStateException("Mosquitto did not listen on port " + port + " within 10 s: " + log());
    }

    int port() {
        return port;
    }

    ProcessMeter meter() {
        return new ProcessMeter(process.pid());
    }

    String log() {
        try {
            return Files.readString(dir.resolve("mosquitto.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        WorkDirectory.delete(dir);
    }
}
