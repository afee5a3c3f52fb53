package io.tsunagu.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.testing.ApiCalls;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.server.testing.TestVins;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API over real HTTP: bearer tokens, the role matrix (an owner sees only own cars and another car reads as
 * not found; only operators and admins manage the fleet; only admins create users), and JSON errors with stable codes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiAuthorizationTest {
    static final String VEHICLES = "/api/v1/vehicles";

    TestServer server;
    ApiCalls admin;
    ApiCalls operator;
    ApiCalls alice;
    ApiCalls bob;
    Vin aliceCar;
    Vin bobCar;

    @BeforeAll
    void start(@TempDir Path dir) {
        server = TestServer.start(dir);
        admin = server.adminApi();
        operator = server.api(createUser("ops", "operator"));
        alice = server.api(createUser("alice", "owner"));
        bob = server.api(createUser("bob", "owner"));
        aliceCar = TestVins.northAmerican("1TSUAPXZ", 1);
        bobCar = TestVins.northAmerican("1TSUAPXZ", 2);
        assertThat(operator.post(VEHICLES, registration(aliceCar, "alice")).status())
                .isEqualTo(201);
        assertThat(operator.post(VEHICLES, registration(bobCar, "bob")).status())
                .isEqualTo(201);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void requestsWithoutOrWithAWrongTokenAre401WithABearerChallenge() {
        List<ApiCalls.Response> responses = List.of(
                server.api("").get(VEHICLES),
                server.api("tsu_not-a-real-token").get(VEHICLES),
                server.api("").getWithAuthorization(VEHICLES, "Basic YWRtaW46YWRtaW4="),
                server.api("").getWithAuthorization(VEHICLES, "Bearer "),
                server.api("").post(VEHICLES, registration(TestVins.northAmerican("1TSUAPXZ", 3), "alice")));

        for (ApiCalls.Response response : responses) {
            assertThat(response.status()).as(response.text()).isEqualTo(401);
            assertThat(response.code()).isEqualTo("unauthenticated");
            assertThat(response.body().path("message").asText()).isNotBlank();
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        }
        assertThat(admin.get(VEHICLES + "/" + TestVins.northAmerican("1TSUAPXZ", 3))
                        .status())
                .as("the unauthenticated POST registered nothing")
                .isEqualTo(404);
    }

    @Test
    void eachTokenIdentifiesItsUser() {
        assertThat(alice.get("/api/v1/me").body().path("name").asText()).isEqualTo("alice");
        assertThat(alice.get("/api/v1/me").body().path("role").asText()).isEqualTo("owner");
        assertThat(operator.get("/api/v1/me").body().path("role").asText()).isEqualTo("operator");
        assertThat(admin.get("/api/v1/me").body().path("role").asText()).isEqualTo("admin");
    }

    @Test
    void ownerListsOnlyOwnCarsEvenWhenAskingForAnothersOwner() {
        assertThat(vins(alice.get(VEHICLES))).containsExactly(aliceCar.value());
        assertThat(vins(alice.get(VEHICLES + "?owner=bob"))).containsExactly(aliceCar.value());
        assertThat(vins(bob.get(VEHICLES))).containsExactly(bobCar.value());
    }

    @Test
    void ownerReadsOwnCarButAnotherOwnersCarReadsExactlyLikeAnUnknownCar() {
        Vin unknown = TestVins.northAmerican("1TSUAPXZ", 99);
        for (String suffix : List.of("", "/twin", "/history", "/rejections")) {
            assertThat(alice.get(VEHICLES + "/" + aliceCar + suffix).status())
                    .as(suffix)
                    .isEqualTo(200);

            ApiCalls.Response others = alice.get(VEHICLES + "/" + bobCar + suffix);
            ApiCalls.Response missing = alice.get(VEHICLES + "/" + unknown + suffix);
            assertThat(others.status()).as(suffix).isEqualTo(404);
            assertThat(others.code()).isEqualTo("not_found");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(others.body().path("message").asText().replace(bobCar.value(), "VIN"))
                    .as("no hint that %s exists", bobCar)
                    .isEqualTo(missing.body().path("message").asText().replace(unknown.value(), "VIN"));
        }
    }

    @Test
    void aTokenRotatedRightAfterATwinReadIs401AtOnceWhileTheNewTokenReadsOnlyItsOwnersCars() {
        ApiCalls carol = server.api(createUser("carol", "owner"));
        Vin carolCar = TestVins.northAmerican("1TSUAPXZ", 7);
        assertThat(operator.post(VEHICLES, registration(carolCar, "carol")).status())
                .isEqualTo(201);
        String twin = VEHICLES + "/" + carolCar + "/twin";
        assertThat(carol.get(twin).status())
                .as("read once, so the token is remembered")
                .isEqualTo(200);

        ApiCalls rotated = server.api(server.server().users().rotateToken("carol"));

        ApiCalls.Response old = carol.get(twin);
        assertThat(old.status()).isEqualTo(401);
        assertThat(old.code()).isEqualTo("unauthenticated");
        assertThat(old.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(rotated.get(twin).status()).isEqualTo(200);
        assertThat(rotated.get(VEHICLES + "/" + bobCar + "/twin").status()).isEqualTo(404);
        assertThat(server.api("tsu_not-a-real-token").get(twin).status()).isEqualTo(401);
    }

    @Test
    void ownerMayNotManageTheFleetOrUsers() {
        ApiCalls.Response register = alice.post(VEHICLES, registration(TestVins.northAmerican("1TSUAPXZ", 4), "alice"));
        assertThat(register.status()).isEqualTo(403);
        assertThat(register.code()).isEqualTo("forbidden");

        ApiCalls.Response revokeOthers = alice.post(VEHICLES + "/" + bobCar + "/revoke", "");
        assertThat(revokeOthers.status()).isEqualTo(404);
        assertThat(revokeOthers.code()).isEqualTo("not_found");

        ApiCalls.Response revokeOwn = alice.post(VEHICLES + "/" + aliceCar + "/revoke", "");
        assertThat(revokeOwn.status()).isEqualTo(403);
        assertThat(revokeOwn.code()).isEqualTo("forbidden");
        assertThat(admin.get(VEHICLES + "/" + aliceCar).body().path("revoked").asBoolean())
                .isFalse();

        assertThat(alice.post("/api/v1/users", "{\"name\": \"mallory\", \"role\": \"admin\"}")
                        .status())
                .isEqualTo(403);
    }

    @Test
    void operatorListsAndRegistersAnyCarButMayNotCreateUsers() {
        assertThat(vins(operator.get(VEHICLES))).contains(aliceCar.value(), bobCar.value());
        assertThat(vins(operator.get(VEHICLES + "?owner=bob"))).containsExactly(bobCar.value());
        Vin vin = TestVins.northAmerican("1TSUAPXZ", 5);

        ApiCalls.Response registered = operator.post(VEHICLES, registration(vin, "carol"));

        assertThat(registered.status()).as(registered.text()).isEqualTo(201);
        assertThat(registered.body().path("vin").asText()).isEqualTo(vin.value());
        assertThat(registered.body().path("credentials").path("privateKeyPem").asText())
                .startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(admin.get(VEHICLES + "/" + vin).body().has("credentials"))
                .as("the private key is returned only once")
                .isFalse();
        ApiCalls.Response createUser = operator.post("/api/v1/users", "{\"name\": \"eve\", \"role\": \"owner\"}");
        assertThat(createUser.status()).isEqualTo(403);
        assertThat(createUser.code()).isEqualTo("forbidden");
    }

    @Test
    void invalidVinIs400InvalidVinInPathAndBody() {
        ApiCalls.Response inPath = admin.get(VEHICLES + "/NOT-A-VIN");
        ApiCalls.Response badCheckDigit = admin.get(VEHICLES + "/1HGCM82633A004353");
        ApiCalls.Response inBody = admin.post(VEHICLES, registration("WVWZZZ1JZXW00000I", "alice"));

        for (ApiCalls.Response response : List.of(inPath, badCheckDigit, inBody)) {
            assertThat(response.status()).as(response.text()).isEqualTo(400);
            assertThat(response.code()).isEqualTo("invalid_vin");
            assertThat(response.body().path("message").asText()).isNotBlank();
        }
    }

    @Test
    void registeringAVinTwiceIs409() {
        ApiCalls.Response response = admin.post(VEHICLES, registration(aliceCar, "alice"));

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.code()).isEqualTo("vehicle_exists");
    }

    @Test
    void creatingAUserTwiceIs409AndAnInvalidRoleIs400() {
        ApiCalls.Response duplicate = admin.post("/api/v1/users", "{\"name\": \"alice\", \"role\": \"owner\"}");
        ApiCalls.Response badRole = admin.post("/api/v1/users", "{\"name\": \"dave\", \"role\": \"root\"}");

        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.code()).isEqualTo("user_exists");
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.code()).isEqualTo("invalid_body");
        assertThat(badRole.body().path("message").asText()).contains("role");
    }

    @Test
    void unknownRouteIs404Json() {
        for (ApiCalls.Response response : List.of(
                admin.get("/api/v1/nothing-here"),
                admin.request("DELETE", VEHICLES + "/" + aliceCar, ""),
                server.api("").get("/nothing-here"))) {
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.code()).isEqualTo("not_found");
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        }
    }

    @Test
    void malformedOrMisshapenBodiesAre400() {
        ApiCalls.Response malformed = admin.post(VEHICLES, "{\"vin\": ");
        ApiCalls.Response notAnObject = admin.post(VEHICLES, "[1, 2]");
        ApiCalls.Response missingField = admin.post(
                VEHICLES, "{\"vin\": \"" + TestVins.northAmerican("1TSUAPXZ", 6) + "\", \"owner\": \"alice\"}");

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.code()).isEqualTo("invalid_json");
        assertThat(notAnObject.status()).isEqualTo(400);
        assertThat(notAnObject.code()).isEqualTo("invalid_body");
        assertThat(missingField.status()).isEqualTo(400);
        assertThat(missingField.code()).isEqualTo("invalid_body");
        assertThat(missingField.body().path("message").asText()).contains("'model'");
    }

    @Test
    void historyParameterErrorsAre400InvalidQueryNamingTheParameter() {
        String history = VEHICLES + "/" + aliceCar + "/history?";
        List<String[]> cases = List.of(
                new String[] {"from=yesterday", "from"},
                new String[] {"to=soon", "to"},
                new String[] {"from=99999999999999999999999", "from"},
                new String[] {"step=fast", "step"},
                new String[] {"step=0s", "step"},
                new String[] {"step=P9999999999999D", "step"},
                new String[] {"step=999999999999999999d", "step"},
                new String[] {"agg=median", "agg"},
                new String[] {"limit=lots", "limit"},
                new String[] {"limit=0", "limit"},
                new String[] {"limit=10001", "limit"},
                new String[] {"from=2000&to=1000", "from"},
                new String[] {"cursor=not-a-cursor", "cursor"});
        List<String> problems = new ArrayList<>();
        for (String[] c : cases) {
            ApiCalls.Response response = alice.get(history + c[0]);
            String message = response.body().path("message").asText();
            if (response.status() != 400 || !response.code().equals("invalid_query") || !message.contains(c[1])) {
                problems.add(c[0] + " -> " + response.status() + " " + response.text());
            }
        }
        assertThat(problems)
                .as("history parameters not answered with 400 invalid_query naming them")
                .isEmpty();
    }

    @Test
    void listLimitErrorsAre400InvalidLimitNamingTheRouteRange() {
        List<String[]> cases = List.of(
                new String[] {VEHICLES + "/" + aliceCar + "/commands?limit=0", "1..500, got 0"},
                new String[] {"/api/v1/audit?limit=501", "1..500, got 501"},
                new String[] {"/api/v1/artifacts?limit=lots", "1..1000, got lots"},
                new String[] {"/api/v1/campaigns?limit=10001", "1..10000, got 10001"},
                new String[] {"/api/v1/distributions?limit=-1", "1..10000, got -1"});
        List<String> problems = new ArrayList<>();
        for (String[] c : cases) {
            ApiCalls.Response response = admin.get(c[0]);
            String message = response.body().path("message").asText();
            if (response.status() != 400 || !response.code().equals("invalid_limit") || !message.contains(c[1])) {
                problems.add(c[0] + " -> " + response.status() + " " + response.text());
            }
        }
        assertThat(problems)
                .as("list limits not refused with 400 invalid_limit")
                .isEmpty();
        assertThat(admin.get("/api/v1/campaigns?limit=10000").status()).isEqualTo(200);
    }

    @Test
    void healthAndMetricsNeedNoToken() {
        ApiCalls anonymous = server.api("");

        ApiCalls.Response health = anonymous.get("/health");
        ApiCalls.Response metrics = anonymous.get("/metrics");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().path("status").asText()).isEqualTo("up");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).contains("tsunagu_vehicles_registered");
    }

    private String createUser(String name, String role) {
        ApiCalls.Response response =
                admin.post("/api/v1/users", "{\"name\": \"" + name + "\", \"role\": \"" + role + "\"}");
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.body().path("token").asText();
    }

    private static String registration(Vin vin, String owner) {
        return registration(vin.value(), owner);
    }

    private static String registration(String vin, String owner) {
        return "{\"vin\": \"" + vin + "\", \"model\": \"Test EV\", \"owner\": \"" + owner + "\", \"tags\": [\"api\"]}";
    }

    private static List<String> vins(ApiCalls.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        List<String> vins = new ArrayList<>();
        for (JsonNode item : response.body().path("items")) {
            vins.add(item.path("vin").asText());
        }
        assertThat(response.body().path("count").asInt()).isEqualTo(vins.size());
        return vins;
    }
}
