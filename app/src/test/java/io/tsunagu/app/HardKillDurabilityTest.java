package io.tsunagu.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.testing.TestCar;
import io.tsunagu.server.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "QoS 1 is acknowledged only after the data is durable", tested the hard way: the server runs as {@code tsunagu
 * server} in a child JVM, plain MQTT 5 clients flood it with QoS 1 telemetry, and the JVM is killed with SIGKILL (no
 * shutdown hook, no flush) while PUBACKs are still outstanding. After a restart on the same data directory, every
 * message that got a success PUBACK must be in the history exactly once and the twin must be at least as new.
 */
class HardKillDurabilityTest {
    private static final Logger LOG = LoggerFactory.getLogger(HardKillDurabilityTest.class);
    private static final long T0 = 1_764_064_800_000L;
    private static final long STEP_MS = 10;
    private static final String SPEED = "Vehicle.Speed";
    private static final String SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current";
    private static final String ODOMETER = "Vehicle.TraveledDistance";
    private static final List<String> SIGNALS = List.of(SPEED, SOC, ODOMETER);
    /**
     * Several cars, because the broker runs a client's inbound interceptors one PUBLISH at a time: each car has one
     * message in the ingest pipeline, so more cars mean more messages mid-commit when the kill lands.
     */
    private static final List<Vin> CARS = IntStream.rangeClosed(1, 5)
            .mapToObj(i -> Vin.of("WVWZZZ1JZXW00000" + i))
            .toList();

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tempDir;

    ServerProcess server;
    final List<TestCar> cars = new ArrayList<>();
    String serverLog = "";

    @RegisterExtension
    final TestWatcher printServerLogOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            LOG.error("server output of failed test {}:\n{}", context.getDisplayName(), serverLog);
        }
    };

    @BeforeEach
    void startServer() {
        server = new ServerProcess(
                tempDir.resolve("data"), tempDir.resolve("server.log"), TestServer.freePort(), TestServer.freePort());
        server.start();
    }

    @AfterEach
    void stopEverything() {
        try {
            cars.forEach(HardKillDurabilityTest::closeQuietly);
        } finally {
            server.close();
            serverLog = server.log();
        }
    }

    @Test
    void everyAcknowledgedMessageSurvivesAKillWhilePublishesAreInFlight() {
        int messagesPerCar = 2000;
        int killAfterAcks = 200;
        AtomicInteger ackCount = new AtomicInteger();
        List<Flood> floods = new ArrayList<>();
        for (Vin vin : CARS) {
            floods.add(new Flood(connect(vin)));
        }
        Runnable killOnThreshold = () -> {
            if (ackCount.incrementAndGet() == killAfterAcks) {
                server.killNow(); // from the PUBACK callback: the other cars' publishes are mid-pipeline
            }
        };

        floods.forEach(f -> f.publish(messagesPerCar, killOnThreshold));
        await("%d PUBACKs before the kill".formatted(killAfterAcks))
                .atMost(KILL_TIMEOUT)
                .until(() -> ackCount.get() >= killAfterAcks);
        server.awaitExit();
        floods.forEach(Flood::awaitSettled);

        int acked = floods.stream().mapToInt(f -> f.acked.size()).sum();
        assertThat(acked).as("messages acknowledged before the kill").isGreaterThanOrEqualTo(killAfterAcks);
        assertThat(acked)
                .as("the kill landed while publishes were still unacknowledged")
                .isLessThan(messagesPerCar * CARS.size());
        assertThat(floods)
                .allSatisfy(f -> assertThat(f.refused).as("error PUBACKs").isEmpty());

        server.start();
        for (Flood flood : floods) {
            assertAllAcknowledgedStoredOnce(flood, messagesPerCar);
            // With many publishes in flight per connection one commit can acknowledge hundreds of one car's
            // messages, so the kill may land before another car got any PUBACK: then there is no newest one to check.
            if (!flood.acked.isEmpty()) {
                assertTwinAtLeastAsNewAs(flood.vin, flood.maxAckedTs());
            }
        }
    }

    @Test
    void aFullyAcknowledgedBurstSurvivesAKillWhileIdle() {
        int messages = 150;
        Flood flood = new Flood(connect(CARS.get(0)));
        flood.publish(messages, () -> {});
        flood.awaitSettled();
        assertThat(flood.acked).as("all acknowledged before the kill").hasSize(messages);

        server.kill();
        server.start();

        Map<Long, Map<String, List<Double>>> history = history(flood.vin, messages);
        assertThat(history.keySet()).as("stored message timestamps").hasSize(messages);
        assertAllAcknowledgedStoredOnce(flood, messages);
        JsonNode speed = twin(flood.vin).path("reported").path(SPEED);
        assertThat(speed.path("ts").asLong()).isEqualTo(ts(messages));
        assertThat(speed.path("value").asDouble()).isEqualTo(speed(messages));
    }

    @Test
    void vehiclesRegisteredRightBeforeAKillAreStillRegisteredAndCanSendTelemetry() {
        List<ServerProcess.Response> registrations =
                CARS.stream().map(this::register).toList(); // each answered 201

        server.kill();
        server.start();

        assertThat(CARS)
                .as("vehicles still registered after the kill")
                .allSatisfy(
                        vin -> assertThat(server.get("/api/v1/vehicles/" + vin).status())
                                .as("GET vehicle %s", vin)
                                .isEqualTo(200));
        Vin last = CARS.get(CARS.size() - 1);
        TestCar car = connect(last, registrations.get(CARS.size() - 1).body().path("credentials"));
        assertThat(car.sendJson(frame(1)).success()).isTrue();
    }

    /** One car publishing QoS 1 telemetry asynchronously; remembers which seqs got a success PUBACK. */
    private static final class Flood {
        final Vin vin;
        final TestCar car;
        final Set<Long> acked = ConcurrentHashMap.newKeySet();
        final Map<Long, String> refused = new ConcurrentHashMap<>();
        final List<CompletableFuture<Mqtt5PublishResult>> sends = new ArrayList<>();

        Flood(TestCar car) {
            this.vin = car.vin();
            this.car = car;
        }

        /** Queues seqs 1..messages at once; the client keeps as many in flight as the broker's receive maximum. */
        void publish(int messages, Runnable onAck) {
            var client = car.client().toAsync();
            for (long seq = 1; seq <= messages; seq++) {
                long s = seq;
                CompletableFuture<Mqtt5PublishResult> send = client.publishWith()
                        .topic(Topics.telemetry(vin))
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .contentType(Topics.CONTENT_TYPE_JSON)
                        .payload(frame(seq).getBytes(StandardCharsets.UTF_8))
                        .send();
                sends.add(send.whenComplete((result, failure) -> record(s, result, failure, onAck)));
            }
        }

        private void record(long seq, Mqtt5PublishResult result, Throwable failure, Runnable onAck) {
            if (failure != null || result == null) {
                return; // connection lost before the PUBACK: not acknowledged, may or may not be stored
            }
            if (result.getError().isPresent()) {
                refused.put(seq, result.getError().get().toString());
                return;
            }
            if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1
                    && !qos1.getPubAck().getReasonCode().isError()) {
                acked.add(seq);
                onAck.run();
            } else {
                refused.put(seq, String.valueOf(result));
            }
        }

        /** Waits (bounded) until every publish has either been acknowledged or failed with the lost connection. */
        void awaitSettled() {
            await("publishes of " + vin + " settled")
                    .atMost(SETTLE_TIMEOUT)
                    .until(() -> sends.stream().allMatch(CompletableFuture::isDone));
        }

        long maxAckedTs() {
            return acked.stream().mapToLong(HardKillDurabilityTest::ts).max().orElseThrow();
        }
    }

    private void assertAllAcknowledgedStoredOnce(Flood flood, int messagesSent) {
        Map<Long, Map<String, List<Double>>> history = history(flood.vin, messagesSent);
        List<String> problems = new ArrayList<>();
        for (long seq : flood.acked.stream().sorted().toList()) {
            Map<String, List<Double>> stored = history.getOrDefault(ts(seq), Map.of());
            Map<String, Double> expected = Map.of(SPEED, speed(seq), SOC, soc(seq), ODOMETER, (double) seq);
            expected.forEach((signal, value) -> {
                List<Double> values = stored.getOrDefault(signal, List.of());
                if (!values.equals(List.of(value))) {
                    problems.add("seq " + seq + " " + signal + ": expected [" + value + "], stored " + values);
                }
            });
        }
        LOG.info(
                "{}: {} of {} messages acknowledged before the kill; {} stored after the restart",
                flood.vin,
                flood.acked.size(),
                messagesSent,
                history.size());
        assertThat(problems.subList(0, Math.min(problems.size(), 30)))
                .as(
                        "acknowledged messages of %s missing, duplicated or altered after the kill (%d acknowledged,"
                                + " %d messages stored, %d problems, first 30 shown)",
                        flood.vin, flood.acked.size(), history.size(), problems.size())
                .isEmpty();
        assertThat(history)
                .as("a stored message has all its values (a message is committed atomically)")
                .allSatisfy((ts, signals) -> assertThat(signals.keySet()).containsExactlyInAnyOrderElementsOf(SIGNALS));
    }

    private void assertTwinAtLeastAsNewAs(Vin vin, long maxAckedTs) {
        JsonNode speed = twin(vin).path("reported").path(SPEED);
        assertThat(speed.path("ts").asLong())
                .as("twin of %s after restart reflects the newest acknowledged sample", vin)
                .isGreaterThanOrEqualTo(maxAckedTs);
    }

    /** Every stored point of the test's signals for seqs 1..messages, by timestamp, then signal. */
    private Map<Long, Map<String, List<Double>>> history(Vin vin, int messages) {
        String base = "/api/v1/vehicles/" + vin + "/history?signals=" + String.join(",", SIGNALS) + "&from=" + T0
                + "&to=" + (ts(messages) + 1) + "&limit=10000";
        Map<Long, Map<String, List<Double>>> points = new HashMap<>();
        Optional<String> cursor = Optional.empty();
        int maxPages = messages * SIGNALS.size() / 10_000 + 2;
        for (int page = 0; page < maxPages; page++) {
            String path = base
                    + cursor.map(c -> "&cursor=" + URLEncoder.encode(c, StandardCharsets.UTF_8))
                            .orElse("");
            ServerProcess.Response response = server.get(path);
            assertThat(response.status())
                    .as("history %s: %s", path, response.body())
                    .isEqualTo(200);
            for (JsonNode point : response.body().path("points")) {
                points.computeIfAbsent(point.path("ts").asLong(), t -> new HashMap<>())
                        .computeIfAbsent(point.path("signal").asText(), s -> new ArrayList<>())
                        .add(point.path("value").asDouble());
            }
            JsonNode next = response.body().path("nextCursor");
            if (next.isNull() || next.isMissingNode()) {
                return points;
            }
            cursor = Optional.of(next.asText());
        }
        throw new AssertionError("history of " + vin + " did not end within " + maxPages + " pages");
    }

    private JsonNode twin(Vin vin) {
        ServerProcess.Response response = server.get("/api/v1/vehicles/" + vin + "/twin");
        assertThat(response.status()).as("twin: %s", response.body()).isEqualTo(200);
        return response.body();
    }

    /** Registers the car over REST with the admin token and connects it with the issued certificate. */
    private TestCar connect(Vin vin) {
        return connect(vin, register(vin).body().path("credentials"));
    }

    private ServerProcess.Response register(Vin vin) {
        ServerProcess.Response registered = server.post(
                "/api/v1/vehicles", "{\"vin\": \"" + vin + "\", \"model\": \"Test EV\", \"owner\": \"alice\"}");
        assertThat(registered.status()).as("register: %s", registered.body()).isEqualTo(201);
        return registered;
    }

    private TestCar connect(Vin vin, JsonNode credentials) {
        TestCar car = TestCar.create(
                vin.value(),
                vin,
                credentials.path("certificatePem").asText(),
                credentials.path("privateKeyPem").asText(),
                credentials.path("caCertificatePem").asText(),
                server.mqttPort());
        cars.add(car);
        car.connect();
        return car;
    }

    private static String frame(long seq) {
        return "{\"ts\": " + ts(seq) + ", \"seq\": " + seq + ", \"signals\": {\"" + SPEED + "\": " + speed(seq) + ", \""
                + SOC + "\": " + soc(seq) + ", \"" + ODOMETER + "\": " + seq + "}}";
    }

    private static long ts(long seq) {
        return T0 + seq * STEP_MS;
    }

    private static double speed(long seq) {
        return seq % 250 + 0.5;
    }

    private static double soc(long seq) {
        return seq % 100;
    }

    private static void closeQuietly(TestCar car) {
        try {
            car.close();
        } catch (RuntimeException e) {
            LOG.debug("closing test car {}", car.vin(), e);
        }
    }
}
