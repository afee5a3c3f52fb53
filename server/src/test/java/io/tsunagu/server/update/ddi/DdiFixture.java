package io.tsunagu.server.update.ddi;

import static org.awaitility.Awaitility.await;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.server.testing.TestVins;
import io.tsunagu.server.update.ArtifactUpload;
import io.tsunagu.server.update.rollout.ActionType;
import io.tsunagu.server.update.rollout.Campaign;
import io.tsunagu.server.update.rollout.CampaignRequest;
import io.tsunagu.server.update.rollout.DeviceAction;
import io.tsunagu.server.update.rollout.Distribution;
import io.tsunagu.server.update.rollout.DistributionRequest;
import io.tsunagu.server.update.rollout.GroupSpec;
import io.tsunagu.server.update.rollout.RolloutService;
import io.tsunagu.server.update.rollout.TargetQuery;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;

/**
 * A running server with cars, an artifact, and a way to roll a distribution out to a car, so DDI tests start from an
 * offered action the way an operator would create one.
 */
final class DdiFixture implements AutoCloseable {
    static final String MODEL = "Test EV";
    static final String HARDWARE = "ivi-main";

    final TestServer server;
    final Vin car;
    final Vin otherCar;
    final IssuedCredentials carCredentials;
    final IssuedCredentials otherCredentials;
    final String carToken;
    private int distributions;
    private int cars = 10;

    /** A newly registered car with its DDI target token. */
    record Car(Vin vin, IssuedCredentials credentials, String token) {}

    DdiFixture(Path dir, Duration pollingSleep) {
        server = TestServer.start(dir, c -> c.withDdi(new DdiSettings("DEFAULT", pollingSleep)));
        car = TestVins.northAmerican("1TSUDD70", 1);
        otherCar = TestVins.northAmerican("1TSUDD70", 2);
        carCredentials = register(car, "alice");
        otherCredentials = register(otherCar, "bob");
        carToken = server.server().ddiTokens().createTargetToken(car, "test");
    }

    Car newCar() {
        Vin vin = TestVins.northAmerican("1TSUDD70", ++cars);
        IssuedCredentials credentials = register(vin, "carol");
        return new Car(vin, credentials, server.server().ddiTokens().createTargetToken(vin, "test"));
    }

    DdiHttp overHttps(Car car) {
        return httpsWithToken("TargetToken " + car.token());
    }

    /** Registers a car tagged so that {@link #rollOut} can target it alone. */
    IssuedCredentials register(Vin vin, String owner) {
        return server.server()
                .provisioning()
                .register(vin, MODEL, owner, Set.of(tag(vin)))
                .credentials();
    }

    private static String tag(Vin vin) {
        return "ddi-" + vin.value().toLowerCase(java.util.Locale.ROOT);
    }

    RolloutService rollouts() {
        return server.server().rollouts();
    }

    /** Content of {@code length} seeded random bytes stored as an artifact named {@code filename}. */
    String storeArtifact(String filename, byte[] content) {
        var stored = server.server()
                .artifacts()
                .store(
                        new ArtifactUpload(
                                filename, "2.0." + content.length, List.of(HARDWARE), "", Optional.empty(), "test"),
                        new ByteArrayInputStream(content),
                        OptionalLong.of(content.length));
        return stored.artifact().sha256().value();
    }

    static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** A distribution with one {@code os} module holding the artifact, rolled out to {@code vin} alone. */
    Campaign rollOut(Vin vin, String sha256, ActionType type) {
        distributions++;
        Distribution distribution = rollouts()
                .createDistribution(new DistributionRequest(
                        "infotainment",
                        "2.0." + distributions,
                        MODEL,
                        "test distribution",
                        List.of(new DistributionRequest.Module(
                                HARDWARE,
                                "infotainment rootfs",
                                "os",
                                "2.0." + distributions,
                                List.of(new DistributionRequest.ArtifactRef(sha256, "")))),
                        "test"));
        Campaign campaign = rollouts()
                .createCampaign(new CampaignRequest(
                        "ddi-" + distributions,
                        distribution.id(),
                        new TargetQuery(Optional.empty(), Set.of(tag(vin)), Set.of()),
                        List.of(GroupSpec.percent(100)),
                        100,
                        0,
                        type,
                        Optional.empty(),
                        Optional.empty(),
                        "test"));
        return rollouts().startCampaign(campaign.id());
    }

    /** Waits until the campaign's sweep has offered the car its action. */
    DeviceAction awaitOffered(Vin vin) {
        return await().atMost(Duration.ofSeconds(20))
                .until(() -> rollouts().openAction(vin), Optional::isPresent)
                .orElseThrow();
    }

    DdiHttp httpsWithToken(String authorization) {
        return DdiHttp.https(
                server.httpsPort(), carCredentials.caCertificatePem(), Optional.empty(), Optional.of(authorization));
    }

    DdiHttp carOverHttps() {
        return httpsWithToken("TargetToken " + carToken);
    }

    String base(Vin vin) {
        return "/DEFAULT/controller/v1/" + vin.value();
    }

    @Override
    public void close() {
        server.close();
    }
}
