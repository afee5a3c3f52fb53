package io.tsunagu.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsunagu.agent.update.InstalledSoftware;
import io.tsunagu.agent.update.Slot;
import io.tsunagu.protocol.Vin;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetUpdatesTest {
    @TempDir
    Path dir;

    @Test
    void failsTheSameShareOfCarsOnEveryRunForOneSeed() {
        List<Vin> vins = VinGenerator.generate(1_000, 5);
        Predicate<Vin> first = FleetUpdates.share(0.3, 42);
        Predicate<Vin> again = FleetUpdates.share(0.3, 42);

        long failing = vins.stream().filter(first).count();

        assertThat(failing).isBetween(240L, 360L);
        assertThat(vins.stream().filter(first).toList())
                .isEqualTo(vins.stream().filter(again).toList());
        assertThat(vins.stream().filter(FleetUpdates.share(0, 42))).isEmpty();
        assertThat(vins.stream().filter(FleetUpdates.share(1, 42))).hasSameSizeAs(vins);
    }

    @Test
    void aFailingCarFailsTheHealthCheckOfAnyImageAndOthersOnlyOnTheMarker() throws Exception {
        Vin bad = VinGenerator.generate(2, 9).get(0);
        Vin good = VinGenerator.generate(2, 9).get(1);
        FleetUpdates updates =
                FleetUpdates.of(URI.create("https://localhost:8443")).failing(bad::equals);
        Path image = Files.write(dir.resolve("slot.img"), "a healthy image".getBytes());
        InstalledSoftware trial = new InstalledSoftware(FleetUpdates.ECU, Slot.B, "2.0.0", "00".repeat(32), 15);

        assertThat(updates.healthCheck(bad).check(trial, image).healthy()).isFalse();
        assertThat(updates.healthCheck(bad).check(trial, image).detail()).contains("injected failure");
        assertThat(updates.healthCheck(good).check(trial, image).healthy()).isTrue();
    }
}
