package io.tsunagu.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.metadata.MetadataDatabase;
import io.tsunagu.server.testing.ManualClock;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VehicleRegistryTest {
    static final Vin CAR_A = Vin.of("WVWZZZ1JZXW000001");
    static final Vin CAR_B = Vin.of("WVWZZZ1JZXW000002");
    static final Vin CAR_C = Vin.of("WVWZZZ1JZXW000003");
    static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    static final BigInteger SERIAL_1 = new BigInteger("1234567890abcdef1234567890abcdef", 16);
    static final BigInteger SERIAL_2 = new BigInteger("fedcba0987654321", 16);

    @TempDir
    Path dataDir;

    ManualClock clock = new ManualClock(START);
    MetadataDatabase db;
    VehicleRegistry registry;

    /** The database under test; {@link PostgresVehicleRegistryTest} runs the same tests on PostgreSQL. */
    MetadataDatabase openDatabase() {
        return MetadataDatabase.embedded(dataDir);
    }

    @BeforeEach
    void open() {
        db = openDatabase();
        registry = new VehicleRegistry(db.dataSource(), clock);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void ownerOfAnswersRegisteredAndRevokedCarsAndNothingForUnknownOnes() {
        registry.register(CAR_A, "Model 3", "alice", Set.of());
        registry.register(CAR_B, "Model Y", "bob", Set.of());
        registry.revoke(CAR_B);

        assertThat(registry.ownerOf(CAR_A)).contains("alice");
        assertThat(registry.ownerOf(CAR_A)).as("answered again from the index").contains("alice");
        assertThat(registry.ownerOf(CAR_B)).contains("bob");
        assertThat(registry.ownerOf(CAR_C)).isEmpty();
    }

    @Test
    void aCarRegisteredOnAnotherNodeAfterAMissIsFoundAtOnce() {
        assertThat(registry.ownerOf(CAR_C)).isEmpty();

        new VehicleRegistry(db.dataSource(), clock).register(CAR_C, "Model 3", "carol", Set.of());

        assertThat(registry.ownerOf(CAR_C)).contains("carol");
    }

    @Test
    void registeredVehicleIsFoundWithSortedTagsAndNoCertificate() {
        Vehicle registered = registry.register(CAR_A, " Model 3 ", "alice", Set.of("fleet-b", "eu", "test.v1"));

        assertThat(registered.model()).isEqualTo("Model 3");
        assertThat(registry.find(CAR_A)).contains(registered);
        Vehicle found = registry.find(CAR_A).orElseThrow();
        assertThat(found.tags()).containsExactly("eu", "fleet-b", "test.v1");
        assertThat(found.registeredAt()).isEqualTo(START);
        assertThat(found.certificate()).isEmpty();
        assertThat(found.revoked()).isFalse();
        assertThat(registry.find(CAR_B)).isEmpty();
    }

    @Test
    void listsAllOrOneOwnersVehiclesSortedByVin() {
        registry.register(CAR_C, "Ioniq 5", "bob", Set.of());
        registry.register(CAR_A, "Model 3", "alice", Set.of());
        registry.register(CAR_B, "ID.4", "alice", Set.of("eu"));

        assertThat(registry.list(Optional.empty())).extracting(Vehicle::vin).containsExactly(CAR_A, CAR_B, CAR_C);
        assertThat(registry.list(Optional.of("alice"))).extracting(Vehicle::vin).containsExactly(CAR_A, CAR_B);
        assertThat(registry.list(Optional.of("nobody"))).isEmpty();
        assertThat(registry.count()).isEqualTo(3);
    }

    @Test
    void rejectsDuplicateVin() {
        registry.register(CAR_A, "Model 3", "alice", Set.of());

        assertThatThrownBy(() -> registry.register(CAR_A, "Other", "bob", Set.of()))
                .isInstanceOf(FleetException.class)
                .hasMessageContaining(CAR_A.value())
                .extracting(e -> ((FleetException) e).code())
                .isEqualTo(FleetException.VEHICLE_EXISTS);
        assertThat(registry.find(CAR_A).orElseThrow().owner()).isEqualTo("alice");
    }

    @Test
    void rejectsInvalidTagsBlankModelAndBlankOwnerNamingTheField() {
        assertInvalid(() -> registry.register(CAR_A, "Model 3", "alice", Set.of("Upper")), "tag 'Upper'");
        assertInvalid(() -> registry.register(CAR_A, "Model 3", "alice", Set.of("has space")), "tag 'has space'");
        assertInvalid(() -> registry.register(CAR_A, "Model 3", "alice", Set.of("x".repeat(65))), "is invalid");
        assertInvalid(() -> registry.register(CAR_A, "Model 3", "alice", Set.of("")), "tag ''");
        assertInvalid(() -> registry.register(CAR_A, "  ", "alice", Set.of()), "model must not be blank");
        assertInvalid(() -> registry.register(CAR_A, "Model 3", "", Set.of()), "owner must not be blank");
        assertThat(registry.count()).isZero();
    }

    @Test
    void trustsOnlyRecordedUnrevokedSerialForItsOwnVin() {
        registry.register(CAR_A, "Model 3", "alice", Set.of());
        registry.register(CAR_B, "ID.4", "bob", Set.of());
        registry.recordCertificate(CAR_A, SERIAL_1, START, START.plus(Duration.ofDays(30)));

        assertThat(registry.certificateTrusted(CAR_A, SERIAL_1)).isTrue();
        assertThat(registry.certificateTrusted(CAR_B, SERIAL_1))
                .as("another VIN's serial")
                .isFalse();
        assertThat(registry.certificateTrusted(CAR_A, SERIAL_2))
                .as("unknown serial")
                .isFalse();
        assertThat(registry.find(CAR_A).orElseThrow().certificate())
                .contains(CertificateInfo.of(SERIAL_1, START, START.plus(Duration.ofDays(30))));
    }

    @Test
    void revokeDistrustsEveryCertificateOfTheVehicleImmediately() {
        registry.register(CAR_A, "Model 3", "alice", Set.of());
        registry.register(CAR_B, "ID.4", "bob", Set.of());
        registry.recordCertificate(CAR_A, SERIAL_1, START, START.plus(Duration.ofDays(30)));
        registry.recordCertificate(CAR_A, SERIAL_2, START, START.plus(Duration.ofDays(60)));
        registry.recordCertificate(CAR_B, BigInteger.TEN, START, START.plus(Duration.ofDays(30)));
        clock.advance(Duration.ofHours(1));

        Vehicle revoked = registry.revoke(CAR_A);

        assertThat(revoked.revoked()).isTrue();
        assertThat(revoked.revokedAt()).contains(START.plus(Duration.ofHours(1)));
        assertThat(registry.certificateTrusted(CAR_A, SERIAL_1)).isFalse();
        assertThat(registry.certificateTrusted(CAR_A, SERIAL_2)).isFalse();
        assertThat(registry.certificateTrusted(CAR_B, BigInteger.TEN)).isTrue();
    }

    @Test
    void revokedVehicleGetsNoNewCertificateAndRevokingTwiceKeepsFirstTime() {
        registry.register(CAR_A, "Model 3", "alice", Set.of());
        Instant firstRevocation = registry.revoke(CAR_A).revokedAt().orElseThrow();
        clock.advance(Duration.ofMinutes(5));

        assertThat(registry.revoke(CAR_A).revokedAt()).contains(firstRevocation);
        assertThatThrownBy(() -> registry.recordCertificate(CAR_A, SERIAL_1, START, START.plusSeconds(60)))
                .extracting(e -> ((FleetException) e).code())
                .isEqualTo(FleetException.VEHICLE_REVOKED);
        assertThat(registry.certificateTrusted(CAR_A, SERIAL_1)).isFalse();
    }

    @Test
    void revokingOrCertifyingUnknownVehicleFailsWithNotFound() {
        assertThatThrownBy(() -> registry.revoke(CAR_A))
                .extracting(e -> ((FleetException) e).code())
                .isEqualTo(FleetException.VEHICLE_NOT_FOUND);
        assertThatThrownBy(() -> registry.recordCertificate(CAR_A, SERIAL_1, START, START.plusSeconds(60)))
                .extracting(e -> ((FleetException) e).code())
                .isEqualTo(FleetException.VEHICLE_NOT_FOUND);
    }

    @Test
    void expiredCertificateIsNotTrusted() {
        registry.register(CAR_A, "Model 3", "alice", Set.of());
        registry.recordCertificate(CAR_A, SERIAL_1, START, START.plus(Duration.ofDays(1)));

        clock.advance(Duration.ofDays(1));

        assertThat(registry.certificateTrusted(CAR_A, SERIAL_1)).isFalse();
    }

    @Test
    void vehiclesCertificatesAndRevocationsSurviveReopen() {
        registry.register(CAR_A, "Model 3", "alice", Set.of("eu"));
        registry.register(CAR_B, "ID.4", "bob", Set.of());
        registry.recordCertificate(CAR_A, SERIAL_1, START, START.plus(Duration.ofDays(30)));
        registry.recordCertificate(CAR_B, SERIAL_2, START, START.plus(Duration.ofDays(30)));
        registry.revoke(CAR_B);
        db.close();

        db = openDatabase();
        VehicleRegistry reopened = new VehicleRegistry(db.dataSource(), clock);

        assertThat(reopened.find(CAR_A).orElseThrow().tags()).containsExactly("eu");
        assertThat(reopened.certificateTrusted(CAR_A, SERIAL_1)).isTrue();
        assertThat(reopened.certificateTrusted(CAR_B, SERIAL_2)).isFalse();
        assertThat(reopened.find(CAR_B).orElseThrow().revoked()).isTrue();
    }

    @Test
    void reloadTrustPicksUpRevocationMadeByAnotherNode() {
        registry.register(CAR_A, "Model 3", "alice", Set.of());
        registry.recordCertificate(CAR_A, SERIAL_1, START, START.plus(Duration.ofDays(30)));
        VehicleRegistry otherNode = new VehicleRegistry(db.dataSource(), clock);

        otherNode.revoke(CAR_A);
        assertThat(registry.certificateTrusted(CAR_A, SERIAL_1))
                .as("stale until reload")
                .isTrue();
        registry.reloadTrust();

        assertThat(registry.certificateTrusted(CAR_A, SERIAL_1)).isFalse();
    }

    private static void assertInvalid(Runnable action, String messagePart) {
        assertThatThrownBy(action::run)
                .isInstanceOf(FleetException.class)
                .hasMessageContaining(messagePart)
                .extracting(e -> ((FleetException) e).code())
                .isEqualTo(FleetException.INVALID_VEHICLE);
    }
}
