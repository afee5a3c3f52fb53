package io.tsunagu.agent.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsunagu.agent.AgentCredentials;
import io.tsunagu.agent.TestPki;
import io.tsunagu.agent.update.internal.DdiActionChannel;
import io.tsunagu.agent.update.internal.TrustedStateFile;
import io.tsunagu.agent.update.internal.UptaneMetadataChannel;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.update.TargetInfo;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The update client against a stand-in cloud over real HTTPS with client certificates, and a real A/B system. */
class UpdateClientTest {
    private static final Vin VIN = Vin.of("1HGCM82633A004352");
    private static final EcuSerial TCU = EcuSerial.of("tcu-0001");
    private static final String HW = "tcu-v2";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private FakeUpdateCloud cloud;
    private AbUpdateSystem ab;
    private UpdateClient client;
    private AgentCredentials credentials;

    @BeforeEach
    void setUp() throws Exception {
        TestPki pki = new TestPki();
        credentials = pki.client(VIN.value());
        cloud = new FakeUpdateCloud(pki, dir, VIN);
        ab = bootAb();
        client = newClient();
    }

    @AfterEach
    void tearDown() {
        client.close();
        ab.close();
        cloud.close();
    }

    private AbUpdateSystem bootAb() {
        return AbUpdateSystem.boot(
                AbUpdateConfig.builder(VIN, dir.resolve("ab")).ecu(TCU, "1.0").build());
    }

    private UpdateClient newClient() {
        HttpClient http = HttpClient.newBuilder()
                .sslContext(credentials.sslContext())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        Duration timeout = Duration.ofSeconds(10);
        UpdateClientConfig config = UpdateClientConfig.of(
                VIN, dir.resolve("client"), Map.of(TCU, HW), cloud.directorRoot(), cloud.imageRoot());
        return new UpdateClient(
                config,
                ab,
                new DdiActionChannel(cloud.origin(), FakeUpdateCloud.TENANT, VIN, http, timeout),
                new UptaneMetadataChannel(cloud.origin(), VIN, http, timeout),
                http,
                Optional.empty());
    }

    private TargetInfo releaseAndOffer(long actionId, byte[] image, String hardwareId) {
        TargetInfo released = cloud.release("tcu-2.0.img", image, hardwareId, 2);
        cloud.assign(released, TCU.value(), hardwareId);
        cloud.offer(actionId, released, "tcu-firmware", "2.0");
        return released;
    }

    private JsonNode awaitClosed() {
        client.trigger();
        await().atMost(TIMEOUT).until(() -> cloud.closed().isPresent());
        return cloud.closed().orElseThrow();
    }

    @Test
    void installsAnOfferedUpdateAndReportsEveryStepAsDdiFeedback() {
        byte[] image = TestImages.image("2.0", 300_000, false);
        releaseAndOffer(42, image, HW);

        JsonNode closed = awaitClosed();

        assertThat(closed.path("status").path("result").path("finished").asText())
                .isEqualTo("success");
        assertThat(ab.installed(TCU).version()).isEqualTo("2.0");
        assertThat(ab.installed(TCU).sha256()).isEqualTo(TestImages.sha256(image));
        await().atMost(TIMEOUT).until(() -> ab.outbox().pending().isEmpty());
        assertThat(cloud.executions())
                .containsSubsequence("download", "downloaded", "proceeding", "closed")
                .last()
                .isEqualTo("closed");
        assertThat(new TrustedStateFile(dir.resolve("client/trusted-state.json"))
                        .load()
                        .orElseThrow()
                        .installed())
                .as("the installed release counter is the floor of the next rollback check")
                .containsKey(TCU.value())
                .hasEntrySatisfying(
                        TCU.value(), i -> assertThat(i.releaseCounter()).isEqualTo(2));
    }

    @Test
    void refusesATamperedImageWithHashMismatchAndInstallsNothing() throws Exception {
        byte[] image = TestImages.image("2.0", 200_000, false);
        TargetInfo released = releaseAndOffer(43, image, HW);
        byte[] tampered = image.clone();
        tampered[150_000] ^= 1;
        cloud.serveInstead(released.sha256().orElseThrow(), tampered);

        JsonNode closed = awaitClosed();

        assertThat(closed.path("status").path("result").path("finished").asText())
                .isEqualTo("failure");
        assertThat(closed.path("status").path("details").get(0).asText()).startsWith("hash_mismatch");
        assertThat(ab.installed(TCU).version()).isEqualTo("1.0");
        try (var files = Files.list(dir.resolve("client/downloads"))) {
            assertThat(files).as("no partial image is kept").isEmpty();
        }
    }

    @Test
    void refusesAnImageForAnotherHardwareId() {
        byte[] image = TestImages.image("2.0", 50_000, false);
        releaseAndOffer(44, image, "bms-800v");

        JsonNode closed = awaitClosed();

        assertThat(closed.path("status").path("result").path("finished").asText())
                .isEqualTo("failure");
        assertThat(closed.path("status").path("details").get(0).asText()).startsWith("wrong_hardware_id");
        assertThat(cloud.executions()).doesNotContain("download");
        assertThat(ab.installed(TCU).version()).isEqualTo("1.0");
    }

    @Test
    void refusesMoreBytesThanSignedAsEndlessData() {
        byte[] image = TestImages.image("2.0", 50_000, false);
        TargetInfo released = releaseAndOffer(45, image, HW);
        cloud.serveInstead(released.sha256().orElseThrow(), Arrays.copyOf(image, 80_000));

        JsonNode closed = awaitClosed();

        assertThat(closed.path("status").path("details").get(0).asText()).startsWith("endless_data");
        assertThat(ab.installed(TCU).version()).isEqualTo("1.0");
    }

    @Test
    void resumesADownloadCutMidWayWithARangeRequest() {
        byte[] image = TestImages.image("2.0", 400_000, false);
        releaseAndOffer(46, image, HW);
        cloud.cutNextDownloadAfter(150_000);

        JsonNode closed = awaitClosed();

        assertThat(closed.path("status").path("result").path("finished").asText())
                .isEqualTo("success");
        assertThat(cloud.ranges()).hasSize(1);
        long resumedFrom = Long.parseLong(cloud.ranges().getFirst().replaceAll("bytes=(\\d+)-", "$1"));
        assertThat(resumedFrom).isPositive().isLessThanOrEqualTo(150_000);
        assertThat(ab.installed(TCU).sha256()).isEqualTo(TestImages.sha256(image));
    }

    @Test
    void continuesAPartialDownloadLeftByARestart() throws Exception {
        byte[] image = TestImages.image("2.0", 300_000, false);
        TargetInfo released = releaseAndOffer(47, image, HW);
        Path partial = dir.resolve("client/downloads/" + released.sha256().orElseThrow() + ".part");
        Files.createDirectories(partial.getParent());
        Files.write(partial, Arrays.copyOf(image, 120_000));

        JsonNode closed = awaitClosed();

        assertThat(closed.path("status").path("result").path("finished").asText())
                .isEqualTo("success");
        assertThat(cloud.ranges()).containsExactly("bytes=120000-");
    }

    @Test
    void confirmsACancelThatArrivesBeforeTheInstall() {
        byte[] image = TestImages.image("2.0", 50_000, false);
        releaseAndOffer(48, image, HW);
        cloud.requestCancel();

        client.trigger();

        await().atMost(TIMEOUT).until(() -> !cloud.cancelFeedback().isEmpty());
        assertThat(cloud.cancelFeedback()
                        .getFirst()
                        .path("status")
                        .path("execution")
                        .asText())
                .isEqualTo("canceled");
        assertThat(cloud.open()).isEmpty();
        assertThat(ab.installed(TCU).version()).isEqualTo("1.0");
        assertThat(cloud.executions()).isEmpty();
    }

    @Test
    void rejectsACancelOnceTheInstallStartedAndThenReportsTheOutcome() {
        byte[] image = TestImages.image("2.0", 50_000, false);
        TargetInfo released = releaseAndOffer(49, image, HW);
        // The car installs while the cloud's success report gets a 409 because a cancel is pending by then.
        ab.install(TestImages.request("49", TCU, "2.0", image), new java.io.ByteArrayInputStream(image), (w, t) -> {});
        cloud.requestCancel();

        client.trigger();

        await().atMost(TIMEOUT).until(() -> cloud.closed().isPresent());
        assertThat(cloud.cancelFeedback()
                        .getFirst()
                        .path("status")
                        .path("execution")
                        .asText())
                .isEqualTo("rejected");
        assertThat(cloud.closed()
                        .orElseThrow()
                        .path("status")
                        .path("result")
                        .path("finished")
                        .asText())
                .isEqualTo("success");
        assertThat(released.sha256()).contains(ab.installed(TCU).sha256());
    }

    @Test
    void pollsOnItsTimerWithoutANotification() {
        byte[] image = TestImages.image("2.0", 30_000, false);
        releaseAndOffer(50, image, HW);
        client.close();
        client = new UpdateClient(
                UpdateClientConfig.of(
                                VIN, dir.resolve("client"), Map.of(TCU, HW), cloud.directorRoot(), cloud.imageRoot())
                        .withPollIntervalMs(200),
                ab,
                new DdiActionChannel(cloud.origin(), FakeUpdateCloud.TENANT, VIN, http(), Duration.ofSeconds(10)),
                new UptaneMetadataChannel(cloud.origin(), VIN, http(), Duration.ofSeconds(10)),
                http(),
                Optional.empty());

        client.start();

        await().atMost(TIMEOUT).until(() -> cloud.closed().isPresent());
        await().atMost(TIMEOUT).until(() -> cloud.polls().get() >= 3);
        assertThat(ab.installed(TCU).version()).isEqualTo("2.0");
    }

    private HttpClient http() {
        return HttpClient.newBuilder()
                .sslContext(credentials.sslContext())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }
}
