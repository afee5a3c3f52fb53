package io.tsunagu.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.metadata.MetadataDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiUsersTest {
    @TempDir
    Path dir;

    MetadataDatabase db;
    ApiUsers users;

    @BeforeEach
    void open() {
        db = MetadataDatabase.embedded(dir.resolve("data"));
        users = new ApiUsers(db.dataSource(), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void createdUserAuthenticatesWithItsTokenAndOnlyAHashIsStored() throws Exception {
        CreatedUser created = users.create("ops1", Role.OPERATOR);

        assertThat(created.token()).startsWith("tsu_").hasSize(4 + 43);
        assertThat(users.authenticate(created.token())).contains(new Principal("ops1", Role.OPERATOR));
        assertThat(created.toString()).doesNotContain(created.token());
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT token_sha256 FROM api_users")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(ApiUsers.sha256Hex(created.token()));
        }
    }

    @Test
    void wrongMalformedOrRotatedTokenDoesNotAuthenticate() {
        CreatedUser created = users.create("ops1", Role.OPERATOR);

        assertThat(users.authenticate(created.token() + "x")).isEmpty();
        assertThat(users.authenticate("Bearer " + created.token())).isEmpty();
        assertThat(users.authenticate("")).isEmpty();
        String rotated = users.rotateToken("ops1");
        assertThat(users.authenticate(created.token())).isEmpty();
        assertThat(users.authenticate(rotated)).isPresent();
    }

    @Test
    void rejectsDuplicateAndMalformedNames() {
        users.create("alice", Role.OWNER);

        assertThatThrownBy(() -> users.create("alice", Role.ADMIN))
                .extracting(e -> ((FleetException) e).code())
                .isEqualTo(FleetException.USER_EXISTS);
        assertThatThrownBy(() -> users.create("has space", Role.OWNER))
                .extracting(e -> ((FleetException) e).code())
                .isEqualTo(FleetException.INVALID_USER);
    }

    @Test
    void ownerSeesOnlyOwnVehiclesWhileOperatorAndAdminSeeAll() {
        Vehicle alices = vehicle("WVWZZZ1JZXW000001", "alice");
        Vehicle bobs = vehicle("WVWZZZ1JZXW000002", "bob");

        Principal alice = new Principal("alice", Role.OWNER);
        assertThat(alice.canSee(alices)).isTrue();
        assertThat(alice.canSee(bobs)).isFalse();
        assertThat(new Principal("ops", Role.OPERATOR).canSee(bobs)).isTrue();
        assertThat(new Principal("root", Role.ADMIN).canSee(alices)).isTrue();
    }

    @Test
    void ensureAdminCreatesTokenFileOnceAndReturnsTheSameTokenLater() throws Exception {
        Path tokenFile = dir.resolve("secrets/admin.token");

        String token = users.ensureAdmin(tokenFile);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(tokenFile).strip()).isEqualTo(token);
        assertThat(users.authenticate(token)).contains(new Principal("admin", Role.ADMIN));
        assertThat(users.ensureAdmin(tokenFile)).isEqualTo(token);
    }

    @Test
    void ensureAdminRotatesTokenWhenFileIsLost() throws Exception {
        Path tokenFile = dir.resolve("admin.token");
        String lost = users.ensureAdmin(tokenFile);
        Files.delete(tokenFile);

        String fresh = users.ensureAdmin(tokenFile);

        assertThat(fresh).isNotEqualTo(lost);
        assertThat(Files.readString(tokenFile).strip()).isEqualTo(fresh);
        assertThat(users.authenticate(lost)).isEmpty();
        assertThat(users.authenticate(fresh)).map(Principal::name).contains("admin");
    }

    private static Vehicle vehicle(String vin, String owner) {
        return new Vehicle(
                Vin.of(vin), "Model 3", owner, Set.of(), Instant.EPOCH, Optional.empty(), false, Optional.empty());
    }
}
