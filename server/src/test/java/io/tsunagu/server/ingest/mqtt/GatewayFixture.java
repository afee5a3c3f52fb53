package io.tsunagu.server.ingest.mqtt;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.vss.SignalCatalog;
import io.tsunagu.server.fleet.CertificateAuthority;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.fleet.ServerIdentity;
import io.tsunagu.server.ingest.IngestConfig;
import io.tsunagu.server.ingest.IngestPipeline;
import io.tsunagu.server.ingest.RateLimiter;
import io.tsunagu.server.ingest.RejectionLog;
import io.tsunagu.server.observe.Metrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * A gateway on a free loopback port with a real ingest pipeline whose durable sink can be held shut ({@link #hold()},
 * {@link #release()}), so a test decides when group commits become durable. Every certificate the fixture's CA issued
 * is trusted unless a test passes its own {@link CertificateTrust}. Records the connection events.
 */
final class GatewayFixture implements AutoCloseable {
    /** A connection event, as the {@link ConnectionListener} saw it. */
    record Event(Vin vin, String what) {}

    final Metrics metrics = new Metrics();
    final Queue<Event> events = new ConcurrentLinkedQueue<>();
    final Queue<List<Sample>> stored = new ConcurrentLinkedQueue<>();
    final CertificateAuthority authority;
    final MqttGateway gateway;
    private final IngestPipeline pipeline;
    private volatile CountDownLatch gate = new CountDownLatch(0);

    GatewayFixture(Path dir, int receiveMaximum, int maxPacketBytes) {
        this(dir, receiveMaximum, maxPacketBytes, TlsProvider.configured(), (vin, serial) -> true);
    }

    /** A gateway on the given TLS provider whose registry trusts what {@code trust} says. */
    GatewayFixture(Path dir, int receiveMaximum, int maxPacketBytes, TlsProvider tls, CertificateTrust trust) {
        this(dir, receiveMaximum, maxPacketBytes, tls, trust, GatewayTransport.configured());
    }

    /** A gateway on the given TLS provider and socket transport whose registry trusts what {@code trust} says. */
    GatewayFixture(
            Path dir,
            int receiveMaximum,
            int maxPacketBytes,
            TlsProvider tls,
            CertificateTrust trust,
            GatewayTransport transport) {
        this(dir, receiveMaximum, maxPacketBytes, tls, trust, transport, TlsResumption.configured(), Clock.systemUTC());
    }

    /** A gateway with the given session resumption and clock (the gateway's: CONNECT checks, ticket key rotation). */
    GatewayFixture(
            Path dir,
            int receiveMaximum,
            int maxPacketBytes,
            TlsProvider tls,
            CertificateTrust trust,
            GatewayTransport transport,
            TlsResumption resumption,
            Clock clock) {
        authority = CertificateAuthority.open(dir.resolve("ca"), clock);
        ServerIdentity identity = authority.serverIdentity(List.of("localhost"), List.of("127.0.0.1"));
        char[] password = "fixture".toCharArray();
        MqttGatewayConfig config = new MqttGatewayConfig(
                "127.0.0.1",
                0,
                identity.writeKeyStore(dir.resolve("server.p12"), password),
                identity.writeTrustStore(dir.resolve("trust.p12"), password),
                new String(password),
                maxPacketBytes,
                dir,
                receiveMaximum,
                tls,
                resumption);
        pipeline = new IngestPipeline(
                new IngestConfig(64 * 1024, 0, 0, 200_000),
                SignalCatalog.vss6(),
                this::durable,
                samples -> {},
                new RejectionLog(metrics, clock),
                metrics,
                new RateLimiter(0, 0, System::nanoTime));
        gateway = new MqttGateway(config, trust, pipeline, listener(), commands(), metrics, clock);
        gateway.start(transport);
    }

    IssuedCredentials issue(Vin vin) {
        return authority.issueVehicle(vin, Duration.ofDays(1));
    }

    /** From now on group commits wait in the durable sink until {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    /** Telemetry messages the pipeline has received (accepted or not). */
    long messagesReceived() {
        return metrics.value("tsunagu_ingest_messages_total");
    }

    private void durable(List<Sample> samples) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stored.add(samples);
    }

    private ConnectionListener listener() {
        return new ConnectionListener() {
            @Override
            public void connectionChanged(Vin vin, boolean online, Instant at) {
                events.add(new Event(vin, online ? "online" : "offline"));
            }

            @Override
            public void sessionStarted(Vin vin, Instant at) {
                events.add(new Event(vin, "session"));
            }
        };
    }

    private CommandChannel commands() {
        return new CommandChannel() {
            @Override
            public CompletableFuture<Void> result(Vin vin, byte[] payload) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void subscribed(Vin vin) {
                events.add(new Event(vin, "subscribed"));
            }
        };
    }

    @Override
    public void close() {
        release();
        gateway.close();
        pipeline.close();
    }
}
