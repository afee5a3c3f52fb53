package io.tsunagu.bench.load;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.tsunagu.protocol.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A set of cars connected to one target with HiveMQ's asynchronous MQTT 5 client (all clients share its Netty event
 * loops, so thousands of connections cost a few threads). Connects all at once, then publishes telemetry with QoS 1.
 */
final class CarClients implements AutoCloseable {
    private static final long CONNECT_TIMEOUT_S = 120;

    private final List<CarIdentity> cars;
    private final List<Mqtt5AsyncClient> clients;
    private final BenchPayload payload = new BenchPayload();
    private final AtomicLongArray seqs;

    /** What connecting every car cost. */
    record Connected(CarClients clients, int failed, String firstError, double seconds, Latencies latencies) {}

    private CarClients(List<CarIdentity> cars, List<Mqtt5AsyncClient> clients) {
        this.cars = cars;
        this.clients = clients;
        this.seqs = new AtomicLongArray(cars.size());
    }

    /** Starts every car's CONNECT at once (a storm) and waits for all CONNACKs or failures. */
    static Connected connectAll(List<CarIdentity> cars, Target target) {
        return connect(cars, target, cars.size());
    }

    /**
     * Connects the cars with at most {@code maxInFlight} handshakes at a time (each completion starts the next): how
     * a fleet comes online when a scenario is about steady load, not about the storm.
     */
    static Connected connect(List<CarIdentity> cars, Target target, int maxInFlight) {
        List<Mqtt5AsyncClient> clients = new ArrayList<>(cars.size());
        for (CarIdentity car : cars) {
            clients.add(MqttClient.builder()
                    .useMqttVersion5()
                    .identifier(car.vin().value())
                    .serverHost("127.0.0.1")
                    .serverPort(target.mqttPort())
                    .sslConfig(car.ssl())
                    .transportConfig()
                    .socketConnectTimeout(60, TimeUnit.SECONDS)
                    .mqttConnectTimeout(60, TimeUnit.SECONDS)
                    .applyTransportConfig()
                    .buildAsync());
        }
        return new CarClients(cars, clients).connectClients(maxInFlight);
    }

    /**
     * Connects every car of this set again with its own client object, at most {@code maxInFlight} at a time, after
     * {@link #close()} disconnected them: a reconnect storm. HiveMQ's client keeps the Netty {@code SslContext} it built
     * for its car's TLS settings across reconnects, and that context's client session cache (keyed by host and port)
     * holds the car's last TLS session, so each car offers its own session ticket (never another car's: every car has
     * its own client and context).
     */
    Connected reconnect(int maxInFlight) {
        return connectClients(maxInFlight);
    }

    private Connected connectClients(int maxInFlight) {
        Latencies latencies = new Latencies();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>("");
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(clients.size());
        Runnable[] startNext = new Runnable[1];
        startNext[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= clients.size()) {
                return;
            }
            long sent = System.nanoTime();
            clients.get(i).connectWith().cleanStart(true).keepAlive(120).send().whenComplete((ack, error) -> {
                if (error == null) {
                    latencies.record(System.nanoTime() - sent);
                } else {
                    failed.incrementAndGet();
                    firstError.compareAndSet("", error.getClass().getSimpleName() + ": " + error.getMessage());
                }
                done.countDown();
                startNext[0].run();
            });
        };
        long started = System.nanoTime();
        for (int i = 0; i < Math.min(maxInFlight, clients.size()); i++) {
            startNext[0].run();
        }
        // At least 20 connects/s: a 10,000-car storm may take longer than the 120 s a small fleet gets.
        long waitS = Math.max(CONNECT_TIMEOUT_S, clients.size() / 20);
        try {
            done.await(waitS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int unfinished = (int) done.getCount(); // neither connected nor failed when the wait ended: not connected
        if (unfinished > 0) {
            firstError.compareAndSet("", unfinished + " cars not connected within " + waitS + " s");
        }
        return new Connected(this, failed.get() + unfinished, firstError.get(), seconds, latencies);
    }

    int size() {
        return clients.size();
    }

    boolean connected(int car) {
        return clients.get(car).getState().isConnected();
    }

    /** Publishes the car's next telemetry message with QoS 1; the future completes at its PUBACK. */
    CompletableFuture<Mqtt5PublishResult> publish(int car) {
        long seq = seqs.incrementAndGet(car);
        return clients.get(car)
                .publishWith()
                .topic(Topics.telemetry(cars.get(car).vin()))
                .qos(MqttQos.AT_LEAST_ONCE)
                .contentType(Topics.CONTENT_TYPE_PROTOBUF)
                .payload(payload.encode(seq))
                .send();
    }

    static void awaitAll(List<CompletableFuture<?>> futures, long timeoutS) {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                    .exceptionally(e -> null)
                    .get(timeoutS, TimeUnit.SECONDS);
        } catch (Exception e) {
            // counted by the callers' own failure counters
        }
    }

    /** Disconnects every connected car and waits (bounded) for the DISCONNECTs to go out. */
    @Override
    public void close() {
        List<CompletableFuture<?>> pending = new ArrayList<>(clients.size());
        for (Mqtt5AsyncClient client : clients) {
            if (client.getState().isConnected()) {
                pending.add(client.disconnect());
            }
        }
        awaitAll(pending, 30);
    }
}
