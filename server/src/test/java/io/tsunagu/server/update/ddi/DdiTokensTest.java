package io.tsunagu.server.update.ddi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.fleet.VehicleRegistry;
import io.tsunagu.server.metadata.MetadataDatabase;
import io.tsunagu.server.testing.TestVins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DdiTokensTest {
    static final Vin CAR = TestVins.northAmerican("1HGCM826", 1);
    static final Vin OTHER = TestVins.northAmerican("1HGCM826", 2);

    @TempDir
    Path dir;

    MetadataDatabase db;
    VehicleRegistry registry;
    DdiTokens tokens;

    @BeforeEach
    void open() {
        db = MetadataDatabase.embedded(dir.resolve("data"));
        registry = new VehicleRegistry(db.dataSource(), Clock.systemUTC());
        registry.register(CAR, "Test EV", "alice", Set.of());
        registry.register(OTHER, "Test EV", "bob", Set.of());
        tokens = DdiTokens.open(db.dataSource(), Clock.systemUTC(), dir.resolve("ddi-gateway.token"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void targetTokenAuthenticatesItsCarOnlyAndOnlyItsHashIsStored() throws Exception {
        String token = tokens.createTargetToken(CAR, "ops1");

        assertThat(token).startsWith("ddi_").hasSize(4 + 43);
        assertThat(tokens.authenticateTarget(token)).contains(CAR);
        assertThat(tokens.authenticateTarget(token + "x")).isEmpty();
        assertThat(tokens.authenticateTarget("TargetToken " + token)).isEmpty();
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT token_sha256, created_by FROM ddi_target_tokens")) {
            rs.next();
            assertThat(rs.getString(1)).hasSize(64).doesNotContain(token.substring(4));
            assertThat(rs.getString(2)).isEqualTo("ops1");
        }
    }

    @Test
    void aNewTargetTokenReplacesTheOldAndRevokeEndsIt() {
        String first = tokens.createTargetToken(CAR, "ops1");
        String second = tokens.createTargetToken(CAR, "ops1");
        String other = tokens.createTargetToken(OTHER, "ops1");

        assertThat(tokens.authenticateTarget(first)).isEmpty();
        assertThat(tokens.authenticateTarget(second)).contains(CAR);
        assertThat(tokens.revokeTargetToken(CAR)).isTrue();
        assertThat(tokens.revokeTargetToken(CAR)).isFalse();
        assertThat(tokens.authenticateTarget(second)).isEmpty();
        assertThat(tokens.authenticateTarget(other)).contains(OTHER);
    }

    @Test
    void targetTokenOfARevokedCarNoLongerAuthenticatesAndUnknownCarsGetNone() {
        String token = tokens.createTargetToken(CAR, "ops1");

        registry.revoke(CAR);

        assertThat(tokens.authenticateTarget(token)).isEmpty();
        assertThatThrownBy(() -> tokens.createTargetToken(CAR, "ops1"))
                .isInstanceOf(DdiException.class)
                .extracting(e -> ((DdiException) e).code())
                .isEqualTo(DdiException.VEHICLE_NOT_FOUND);
        assertThatThrownBy(() -> tokens.createTargetToken(TestVins.northAmerican("1HGCM826", 3), "ops1"))
                .isInstanceOf(DdiException.class)
                .hasMessageContaining("not found");
    }

    @Test
    void gatewayTokenIsCreatedOwnerOnlyOnceAndKeptAcrossRestarts() throws Exception {
        Path file = dir.resolve("ddi-gateway.token");
        String token = Files.readString(file).strip();

        assertThat(token).startsWith("ddi_");
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(tokens.isGatewayToken(token)).isTrue();
        assertThat(tokens.isGatewayToken(token.substring(1))).isFalse();
        DdiTokens reopened = DdiTokens.open(db.dataSource(), Clock.systemUTC(), file);
        assertThat(reopened.isGatewayToken(token)).isTrue();
        assertThat(reopened.authenticateTarget(token))
                .as("a gateway token is no target token")
                .isEmpty();
    }
}
