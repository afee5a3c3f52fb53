package io.tsunagu.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.metadata.MetadataDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VehicleProvisioningTest {
    static final Vin VIN = Vin.of("WVWZZZ1JZXW000001");

    @TempDir
    Path dir;

    MetadataDatabase db;
    VehicleRegistry registry;
    VehicleProvisioning provisioning;

    @BeforeEach
    void open() {
        db = MetadataDatabase.embedded(dir.resolve("data"));
        registry = new VehicleRegistry(db.dataSource(), Clock.systemUTC());
        CertificateAuthority authority = CertificateAuthority.open(dir.resolve("ca"), Clock.systemUTC());
        provisioning = new VehicleProvisioning(registry, authority, Duration.ofDays(90));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void registerStoresVehicleWithCertificateInfoAndTrustsTheIssuedSerial() {
        Provisioned provisioned = provisioning.register(VIN, "Model 3", "alice", Set.of("eu"));

        IssuedCredentials credentials = provisioned.credentials();
        assertThat(provisioned.vehicle().certificate()).hasValueSatisfying(info -> {
            assertThat(info.serial()).isEqualTo(credentials.serial());
            assertThat(info.notAfter()).isEqualTo(credentials.notAfter());
        });
        assertThat(PemKeys.certificate(credentials.certificatePem())
                        .getSubjectX500Principal()
                        .getName())
                .isEqualTo("CN=" + VIN.value());
        assertThat(registry.certificateTrusted(VIN, credentials.serial())).isTrue();
    }

    @Test
    void reissueAddsTrustedCertificateKeepingTheOldOneUntilRevoke() {
        IssuedCredentials first =
                provisioning.register(VIN, "Model 3", "alice", Set.of()).credentials();

        IssuedCredentials second = provisioning.reissue(VIN);

        assertThat(second.serial()).isNotEqualTo(first.serial());
        assertThat(registry.certificateTrusted(VIN, first.serial())).isTrue();
        assertThat(registry.certificateTrusted(VIN, second.serial())).isTrue();
        registry.revoke(VIN);
        assertThat(registry.certificateTrusted(VIN, first.serial())).isFalse();
        assertThat(registry.certificateTrusted(VIN, second.serial())).isFalse();
        assertThatThrownBy(() -> provisioning.reissue(VIN))
                .extracting(e -> ((FleetException) e).code())
                .isEqualTo(FleetException.VEHICLE_REVOKED);
    }

    @Test
    void reissueForUnknownVehicleFailsWithNotFound() {
        assertThatThrownBy(() -> provisioning.reissue(VIN))
                .extracting(e -> ((FleetException) e).code())
                .isEqualTo(FleetException.VEHICLE_NOT_FOUND);
    }
}
