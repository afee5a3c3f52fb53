package io.tsunagu.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.Vin;
import io.tsunagu.server.metadata.MetadataDatabase;
import io.tsunagu.server.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
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
        assertThat(alice.canSeeVehicleOf("alice")).isTrue();
        assertThat(alice.canSeeVehicleOf("bob")).isFalse();
        assertThat(new Principal("ops", Role.OPERATOR).canSeeVehicleOf("bob")).isTrue();
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

    @Test
    void aTokenRotatedThroughThisInstanceStopsWorkingAtOnceEvenWhileRemembered() {
        CreatedUser created = users.create("ops1", Role.OPERATOR);
        assertThat(users.authenticate(created.token())).isPresent(); // now remembered

        String rotated = users.rotateToken("ops1");

        assertThat(users.authenticate(created.token())).isEmpty();
        assertThat(users.authenticate(rotated)).contains(new Principal("ops1", Role.OPERATOR));
    }

    @Test
    void aRotationOnAnotherNodeTakesEffectHereWithinTheTrustTime() {
        ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
        ApiUsers here = new ApiUsers(db.dataSource(), clock);
        ApiUsers otherNode = new ApiUsers(db.dataSource(), clock);
        CreatedUser created = here.create("ops1", Role.OPERATOR);
        assertThat(here.authenticate(created.token())).isPresent();

        String rotated = otherNode.rotateToken("ops1");

        assertThat(here.authenticate(created.token()))
                .as("still trusted from memory")
                .isPresent();
        assertThat(here.authenticate(rotated))
                .as("a new token is never refused")
                .isPresent();
        clock.advance(Duration.ofMillis(VerifiedTokens.TTL_MS));
        assertThat(here.authenticate(created.token())).isEmpty();
        assertThat(here.authenticate(rotated)).contains(new Principal("ops1", Role.OPERATOR));
    }

    @Test
    void aRoleChangedInTheDatabaseIsSeenOnceTheTrustTimeEnds() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
        ApiUsers here = new ApiUsers(db.dataSource(), clock);
        CreatedUser created = here.create("carol", Role.OPERATOR);
        assertThat(here.authenticate(created.token())).map(Principal::role).contains(Role.OPERATOR);
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE api_users SET role = '" + Role.OWNER.dbValue() + "' WHERE name = 'carol'");
        }

        clock.advance(Duration.ofMillis(VerifiedTokens.TTL_MS - 1));
        assertThat(here.authenticate(created.token())).map(Principal::role).contains(Role.OPERATOR);
        clock.advance(Duration.ofMillis(1));
        assertThat(here.authenticate(created.token())).map(Principal::role).contains(Role.OWNER);
    }

    @Test
    void aVerificationThatRacedWithARotationIsNotRemembered() {
        VerifiedTokens tokens = new VerifiedTokens(Clock.systemUTC());
        Principal ops = new Principal("ops1", Role.OPERATOR);
        long stamp = tokens.stamp(); // the lookup starts and reads the old row...

        tokens.forget("ops1"); // ...while the token is rotated

        tokens.remember("hash-of-old-token", ops, stamp);
        assertThat(tokens.get("hash-of-old-token")).isNull();
        tokens.remember("hash-of-old-token", ops, tokens.stamp());
        assertThat(tokens.get("hash-of-old-token")).isEqualTo(ops);
    }

    @Test
    void rememberedTokensStayBoundedInNumber() {
        VerifiedTokens tokens = new VerifiedTokens(Clock.systemUTC());
        Principal ops = new Principal("ops1", Role.OPERATOR);

        for (int i = 0; i <= VerifiedTokens.MAX_ENTRIES; i++) {
            tokens.remember("hash-" + i, ops, tokens.stamp());
        }

        assertThat(tokens.size()).isLessThanOrEqualTo(VerifiedTokens.MAX_ENTRIES);
        assertThat(tokens.get("hash-" + VerifiedTokens.MAX_ENTRIES)).isEqualTo(ops);
    }

    private static Vehicle vehicle(String vin, String owner) {
        return new Vehicle(
                Vin.of(vin), "Model 3", owner, Set.of(), Instant.EPOCH, Optional.empty(), false, Optional.empty());
    }
}
