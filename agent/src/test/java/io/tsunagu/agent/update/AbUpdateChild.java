package io.tsunagu.agent.update;

import io.tsunagu.protocol.Vin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The car in a child JVM, for {@link AbUpdateKillTest}: boots the A/B system in a folder and installs one image;
 * when the install reaches the named {@link InstallPoint} it writes a marker file and blocks for good, so that the
 * test can kill it with SIGKILL at exactly that point.
 *
 * <p>Arguments: {@code <dir> <point> <image file> <version> <action id> <marker file>}.
 */
public final class AbUpdateChild {
    static final EcuSerial ECU = EcuSerial.of("main-ecu");
    static final String FACTORY_VERSION = "1.0.0";

    private AbUpdateChild() {}

    static AbUpdateConfig.Builder config(Path dir) {
        return AbUpdateConfig.builder(Vin.of("WVWZZZ1JZXW000002"), dir).ecu(ECU, FACTORY_VERSION);
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        InstallPoint killPoint = InstallPoint.valueOf(args[1]);
        Path imageFile = Path.of(args[2]);
        Path marker = Path.of(args[5]);
        byte[] image = Files.readAllBytes(imageFile);
        AbUpdateConfig config = config(dir)
                .hook((point, ecu) -> {
                    if (point == killPoint) {
                        markAndBlock(marker, point);
                    }
                })
                .build();
        AbUpdateSystem ab = AbUpdateSystem.boot(config);
        ab.install(TestImages.request(args[4], ECU, args[3], image), imageFile, InstallProgress.NONE);
        ab.close(); // the kill point was not reached: the test sees the missing marker and a normal exit
    }

    private static void markAndBlock(Path marker, InstallPoint point) {
        try {
            Files.writeString(marker, point.name());
            new CountDownLatch(1).await(); // wait here until the test's SIGKILL
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
