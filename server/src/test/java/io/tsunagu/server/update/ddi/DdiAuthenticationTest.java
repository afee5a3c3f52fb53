package io.tsunagu.server.update.ddi;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsunagu.server.testing.ApiCalls;
import io.tsunagu.server.testing.TestVins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may act as which DDI controller, as hawkBit decides it: target token of that car, the gateway token, or (on
 * HTTPS) the car's own client certificate; and the operator API that hands out target tokens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DdiAuthenticationTest {
    DdiFixture fixture;
    Path dir;

    @BeforeAll
    void start(@TempDir Path dir) {
        this.dir = dir;
        fixture = new DdiFixture(dir, Duration.ofMinutes(5));
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    @Test
    void targetTokenAuthenticatesOnlyItsOwnControllerAndWrongOrMissingCredentialsAre401() {
        String own = fixture.base(fixture.car);
        String other = fixture.base(fixture.otherCar);
        DdiHttp car = fixture.carOverHttps();

        assertThat(car.get(own).status()).isEqualTo(200);
        assertThat(car.get(other).status()).as("another car's controllerId").isEqualTo(401);
        assertThat(fixture.httpsWithToken("TargetToken ddi_wrong").get(own).status())
                .isEqualTo(401);
        assertThat(fixture.httpsWithToken("Bearer " + fixture.server.adminToken())
                        .get(own)
                        .status())
                .as("an API token is no DDI credential")
                .isEqualTo(401);
        DdiHttp.Answer none = DdiHttp.https(fixture.server.httpsPort(), ca(), Optional.empty(), Optional.empty())
                .get(own);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().path("code").asText()).isEqualTo("unauthenticated");
        assertThat(fixture.httpsWithToken("targettoken " + fixture.carToken)
                        .get(own)
                        .status())
                .as("the scheme name is case-insensitive (RFC 9110)")
                .isEqualTo(200);
    }

    @Test
    void gatewayTokenActsForEveryRegisteredCarButUnknownControllersAre404() throws Exception {
        String gateway = Files.readString(dir.resolve("ddi-gateway.token")).strip();
        DdiHttp depot = fixture.httpsWithToken("GatewayToken " + gateway);

        assertThat(depot.get(fixture.base(fixture.car)).status()).isEqualTo(200);
        assertThat(depot.get(fixture.base(fixture.otherCar)).status()).isEqualTo(200);
        assertThat(depot.get(fixture.base(TestVins.northAmerican("1TSUDD70", 999)))
                        .status())
                .isEqualTo(404);
        assertThat(depot.get("/DEFAULT/controller/v1/not-a-vin").status()).isEqualTo(404);
        assertThat(fixture.httpsWithToken("GatewayToken " + gateway + "x")
                        .get(fixture.base(fixture.car))
                        .status())
                .isEqualTo(401);
    }

    @Test
    void otherTenantsAreNotFoundAndTheTenantIsCaseInsensitive() {
        DdiHttp car = fixture.carOverHttps();

        assertThat(car.get("/OTHER/controller/v1/" + fixture.car.value()).status())
                .isEqualTo(404);
        assertThat(car.get("/default/controller/v1/" + fixture.car.value()).status())
                .isEqualTo(200);
    }

    @Test
    void carCertificateAuthenticatesOnHttpsForItsOwnControllerOnly() {
        DdiHttp mtls =
                DdiHttp.https(fixture.server.httpsPort(), ca(), Optional.of(fixture.carCredentials), Optional.empty());

        assertThat(mtls.get(fixture.base(fixture.car)).status()).isEqualTo(200);
        assertThat(mtls.get(fixture.base(fixture.otherCar)).status()).isEqualTo(401);
    }

    @Test
    void plainHttpWorksWithATokenAndLinksStayOnPlainHttp() {
        DdiHttp http = DdiHttp.http(fixture.server.httpPort(), Optional.of("TargetToken " + fixture.carToken));

        DdiHttp.Answer poll = http.get(fixture.base(fixture.car));

        assertThat(poll.status()).isEqualTo(200);
        assertThat(poll.json().path("_links").path("configData").path("href").asText())
                .startsWith("http://127.0.0.1:" + fixture.server.httpPort() + "/DEFAULT/controller/v1/");
    }

    @Test
    void revokingTheCarEndsItsTargetToken() {
        DdiFixture.Car car = fixture.newCar();
        DdiHttp http = fixture.overHttps(car);
        assertThat(http.get(fixture.base(car.vin())).status()).isEqualTo(200);

        fixture.server.server().registry().revoke(car.vin());

        assertThat(http.get(fixture.base(car.vin())).status()).isEqualTo(401);
    }

    @Test
    void operatorCreatesATargetTokenShownOnceAndOwnersMayNot() {
        DdiFixture.Car car = fixture.newCar();
        ApiCalls admin = fixture.server.adminApi();

        ApiCalls.Response created = admin.post("/api/v1/vehicles/" + car.vin().value() + "/ddi-token", "{}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().path("tokenType").asText()).isEqualTo("TargetToken");
        String token = created.body().path("token").asText();
        assertThat(fixture.httpsWithToken("TargetToken " + token)
                        .get(fixture.base(car.vin()))
                        .status())
                .isEqualTo(200);
        assertThat(fixture.overHttps(car).get(fixture.base(car.vin())).status())
                .as("the earlier token is replaced")
                .isEqualTo(401);
        assertThat(admin.post(
                                "/api/v1/vehicles/"
                                        + TestVins.northAmerican("1TSUDD70", 998)
                                                .value() + "/ddi-token",
                                "{}")
                        .status())
                .isEqualTo(404);
        String ownerToken = fixture.server
                .server()
                .users()
                .create("carol", io.tsunagu.server.fleet.Role.OWNER)
                .token();
        assertThat(fixture.server
                        .api(ownerToken)
                        .post("/api/v1/vehicles/" + car.vin().value() + "/ddi-token", "{}")
                        .status())
                .isEqualTo(403);
        assertThat(admin.request("DELETE", "/api/v1/vehicles/" + car.vin().value() + "/ddi-token", "")
                        .status())
                .isEqualTo(204);
        assertThat(fixture.httpsWithToken("TargetToken " + token)
                        .get(fixture.base(car.vin()))
                        .status())
                .isEqualTo(401);
    }

    private String ca() {
        return fixture.carCredentials.caCertificatePem();
    }
}
