package io.tsunagu.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsunagu.protocol.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bench cars over real mutual TLS: Mosquitto (the baseline broker) and a scripted broker that answers as told. */
class NettyFleetTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path caDirectory;

    private static FleetCertificates fleet;
    private static List<CarIdentity> cars;

    @BeforeAll
    static void issueCertificates() {
        fleet = new FleetCertificates(caDirectory);
        cars = fleet.cars(3);
    }

    @ParameterizedTest
    @EnumSource(Generator.class)
    void everyPublishToMosquittoIsAcknowledgedOnceAndDeliveredToItsSubscriber(Generator generator) {
        assertThat(MosquittoBroker.BINARY).as("apt-get install -y mosquitto").isExecutable();
        try (MosquittoBroker mosquitto = MosquittoBroker.start(fleet.directory())) {
            Target target = new Target("mosquitto", mosquitto.port(), mosquitto.meter());
            PassThroughSubscriber subscriber = new PassThroughSubscriber(cars.getFirst(), target);
            AckTracker tracker = new AckTracker();
            tracker.recording(true);
            try (CarFleet cars3 = CarFleet.connect(generator, cars, target, 2)) {
                assertThat(cars3.connectFailures()).isZero();
                CarFleet.Publishing flood = cars3.flood(10, tracker);
                await().atMost(WAIT).until(() -> tracker.acked() >= 300);
                flood.stop();
                tracker.drain(WAIT.toMillis());

                assertThat(tracker.outstanding()).isZero();
                assertThat(tracker.failures()).isZero();
                assertThat(tracker.acked()).isEqualTo(tracker.sent());
                assertThat(tracker.latencies().count()).isEqualTo(tracker.acked());
                assertThat(subscriber.receivedWhenQuiet()).isEqualTo(tracker.acked());
            } finally {
                subscriber.close();
            }
        }
    }

    @Test
    void theNettyCarSendsTheSameConnectAndPublishAsHiveMqsClient() throws Exception {
        List<CarIdentity> one = cars.subList(0, 1);
        try (ScriptedBroker broker = new ScriptedBroker(caDirectory, 100, ScriptedBroker.Answer.PUBACK, 0)) {
            for (Generator generator : Generator.values()) {
                AckTracker tracker = new AckTracker();
                try (CarFleet car = CarFleet.connect(generator, one, broker.target(), 1)) {
                    CarFleet.Publishing paced = car.paced(200, tracker);
                    await().atMost(WAIT).until(() -> tracker.acked() >= 1);
                    paced.stop();
                }
            }
            List<ScriptedBroker.Connect> connects = List.copyOf(broker.connects);
            assertThat(connects).hasSize(2);
            assertThat(connects.get(0)).isEqualTo(connects.get(1));
            assertThat(connects.get(0))
                    .isEqualTo(new ScriptedBroker.Connect(one.getFirst().vin().value(), 5, true, 120, false, "[]"));
            Set<ScriptedBroker.Publish> distinct = new HashSet<>(broker.publishes);
            assertThat(distinct)
                    .as("every publish of both generators alike")
                    .hasSize(1)
                    .allSatisfy(p -> {
                        assertThat(p.topic())
                                .isEqualTo(Topics.telemetry(one.getFirst().vin()));
                        assertThat(p.qos()).isEqualTo(1);
                        assertThat(p.properties()).isEqualTo("[3=" + Topics.CONTENT_TYPE_PROTOBUF + "]");
                    });
        }
    }

    @Test
    void publishesTheBrokerNeverAnswersAreUnansweredAndNoMoreThanItsReceiveMaximumAreSent() throws Exception {
        try (ScriptedBroker broker = new ScriptedBroker(caDirectory, 2, ScriptedBroker.Answer.SILENT, 0);
                CarFleet fleet3 = CarFleet.connect(Generator.NETTY, cars, broker.target(), 3)) {
            AckTracker tracker = new AckTracker();
            CarFleet.Publishing flood = fleet3.flood(5, tracker);
            await().atMost(WAIT).until(() -> broker.published.get() >= 2 * cars.size());
            flood.stop();

            assertThat(tracker.sent()).isEqualTo(5L * cars.size());
            assertThat(tracker.outstanding()).isEqualTo(tracker.sent());
            assertThat(tracker.acked()).isZero();
            assertThat(tracker.failures()).isZero();
            assertThat(broker.published.get())
                    .as("2 in flight per car, 3 waiting")
                    .isEqualTo(2 * cars.size());
        }
    }

    @Test
    void aPubAckWithAnErrorReasonCodeFailsThePublishAndFreesItsPlace() throws Exception {
        try (ScriptedBroker broker = new ScriptedBroker(caDirectory, 1, ScriptedBroker.Answer.PUBACK, 0x87);
                CarFleet one = CarFleet.connect(Generator.NETTY, cars.subList(0, 1), broker.target(), 1)) {
            AckTracker tracker = new AckTracker();
            CarFleet.Publishing flood = one.flood(3, tracker);
            await().atMost(WAIT).until(() -> tracker.failures() >= 20);
            flood.stop();
            tracker.drain(WAIT.toMillis());

            assertThat(tracker.acked()).isZero();
            assertThat(tracker.outstanding()).isZero();
            assertThat(tracker.failures()).isEqualTo(tracker.sent());
        }
    }

    @Test
    void aClosedConnectionFailsEveryPublishInFlightOrWaitingAndTheCarPublishesNoMore() throws Exception {
        try (ScriptedBroker broker = new ScriptedBroker(caDirectory, 4, ScriptedBroker.Answer.CLOSE, 0);
                CarFleet fleet3 = CarFleet.connect(Generator.NETTY, cars, broker.target(), 3)) {
            AckTracker tracker = new AckTracker();
            CarFleet.Publishing periodic = fleet3.periodic(20, tracker);
            await().atMost(WAIT).until(() -> tracker.failures() >= cars.size());
            long sent = tracker.sent();
            tracker.drain(WAIT.toMillis());
            periodic.stop();

            assertThat(tracker.sent()).as("no publish once closed").isEqualTo(sent);
            assertThat(tracker.failures()).isEqualTo(tracker.sent()).isGreaterThanOrEqualTo(cars.size());
            assertThat(tracker.acked()).isZero();
            assertThat(tracker.outstanding()).isZero();
            assertThat(fleet3.size()).isEqualTo(cars.size());
        }
    }

    @Test
    void periodicPublishingSendsForEveryCarAndPacedSpreadsOverAllOfThem() throws Exception {
        try (ScriptedBroker broker = new ScriptedBroker(caDirectory, 10, ScriptedBroker.Answer.PUBACK, 0);
                CarFleet fleet3 = CarFleet.connect(Generator.NETTY, cars, broker.target(), 3)) {
            AckTracker periodicTracker = new AckTracker();
            CarFleet.Publishing periodic = fleet3.periodic(50, periodicTracker);
            await().atMost(WAIT).until(() -> topics(broker).size() == cars.size());
            periodic.stop();
            periodicTracker.drain(WAIT.toMillis());
            assertThat(periodicTracker.acked()).isEqualTo(periodicTracker.sent());

            broker.publishes.clear();
            AckTracker pacedTracker = new AckTracker();
            CarFleet.Publishing paced = fleet3.paced(300, pacedTracker);
            await().atMost(WAIT).until(() -> topics(broker).size() == cars.size());
            paced.stop();
            pacedTracker.drain(WAIT.toMillis());
            assertThat(pacedTracker.acked()).isEqualTo(pacedTracker.sent()).isPositive();
            assertThat(Optional.of(pacedTracker.outstanding())).contains(0L);
        }
    }

    private static Set<String> topics(ScriptedBroker broker) {
        Set<String> topics = new HashSet<>();
        broker.publishes.forEach(p -> topics.add(p.topic()));
        return topics;
    }
}
