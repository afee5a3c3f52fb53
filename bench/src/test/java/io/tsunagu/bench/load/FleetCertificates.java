package io.tsunagu.bench.load;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.CertificateAuthority;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.sim.VinGenerator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real fleet CA in a directory (the files Mosquitto and the test broker present) and bench cars with certificates
 * it issued, built into the same TLS settings as {@link Provisioner} builds from the server's answer.
 */
final class FleetCertificates {
    private final Path directory;
    private final CertificateAuthority ca;

    FleetCertificates(Path directory) {
        this.directory = directory;
        this.ca = CertificateAuthority.open(directory, Clock.systemUTC());
        ca.serverIdentity(List.of(), List.of()); // writes server.cert.pem / server.key.pem for localhost, 127.0.0.1
    }

    Path directory() {
        return directory;
    }

    List<CarIdentity> cars(int count) {
        List<CarIdentity> cars = new ArrayList<>(count);
        for (Vin vin : VinGenerator.generate(count, 42)) {
            IssuedCredentials issued = ca.issueVehicle(vin, Duration.ofDays(1));
            cars.add(new CarIdentity(
                    vin,
                    Provisioner.sslConfig(
                            issued.certificatePem(),
                            issued.privateKeyPem(),
                            issued.caCertificatePem(),
                            Provisioner.serverCertificate(directory))));
        }
        return cars;
    }
}
