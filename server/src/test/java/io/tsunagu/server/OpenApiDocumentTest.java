package io.tsunagu.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.testing.ApiCalls;
import io.tsunagu.server.testing.TestServer;
import io.tsunagu.server.testing.TestVins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-kept {@code /openapi.yaml} agrees with the live routes: every documented operation is served (and answers
 * with a documented status), and every route the API registers is documented.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {
    /** The routes registered in package {@code io.tsunagu.server.api} (ApiServer, VehicleRoutes, TelemetryRoutes,
     * CommandRoutes, RolloutRoutes, ArtifactRoutes, DdiRoutes, UserRoutes). */
    static final Set<String> LIVE_ROUTES = Set.of(
            "GET /openapi.yaml",
            "GET /metrics",
            "GET /health",
            "POST /api/v1/vehicles",
            "GET /api/v1/vehicles",
            "GET /api/v1/vehicles/{vin}",
            "POST /api/v1/vehicles/{vin}/revoke",
            "POST /api/v1/vehicles/{vin}/certificates",
            "GET /api/v1/vehicles/{vin}/twin",
            "GET /api/v1/vehicles/{vin}/history",
            "GET /api/v1/vehicles/{vin}/rejections",
            "POST /api/v1/vehicles/{vin}/commands",
            "POST /api/v1/vehicles/{vin}/commands/signed",
            "GET /api/v1/vehicles/{vin}/keys",
            "GET /api/v1/vehicles/{vin}/commands",
            "GET /api/v1/vehicles/{vin}/commands/stream",
            "GET /api/v1/vehicles/{vin}/commands/{id}",
            "POST /api/v1/vehicles/{vin}/commands/{id}/cancel",
            "GET /api/v1/command-keys/fleet",
            "GET /api/v1/audit",
            "POST /api/v1/distributions",
            "GET /api/v1/distributions",
            "POST /api/v1/campaigns",
            "GET /api/v1/campaigns",
            "GET /api/v1/campaigns/{id}",
            "GET /api/v1/campaigns/{id}/actions",
            "POST /api/v1/campaigns/{id}/start",
            "POST /api/v1/campaigns/{id}/pause",
            "POST /api/v1/campaigns/{id}/resume",
            "POST /api/v1/campaigns/{id}/cancel",
            "GET /api/v1/vehicles/{vin}/updates",
            "POST /api/v1/artifacts",
            "GET /api/v1/artifacts",
            "GET /api/v1/artifacts/{sha256}",
            "GET /api/v1/artifacts/{sha256}/content",
            "POST /api/v1/vehicles/{vin}/ddi-token",
            "DELETE /api/v1/vehicles/{vin}/ddi-token",
            "GET /{tenant}/controller/v1/{controllerId}",
            "GET /{tenant}/controller/v1/{controllerId}/deploymentBase/{actionId}",
            "POST /{tenant}/controller/v1/{controllerId}/deploymentBase/{actionId}/feedback",
            "GET /{tenant}/controller/v1/{controllerId}/cancelAction/{actionId}",
            "POST /{tenant}/controller/v1/{controllerId}/cancelAction/{actionId}/feedback",
            "GET /{tenant}/controller/v1/{controllerId}/installedBase/{actionId}",
            "PUT /{tenant}/controller/v1/{controllerId}/configData",
            "GET /{tenant}/controller/v1/{controllerId}/softwaremodules/{moduleId}/artifacts",
            "GET /{tenant}/controller/v1/{controllerId}/softwaremodules/{moduleId}/artifacts/{fileName}",
            "POST /api/v1/users",
            "GET /api/v1/me",
            "GET /api/v1/vehicles/{vin}/ecus",
            "PUT /api/v1/vehicles/{vin}/ecus",
            "POST /api/v1/vehicles/{vin}/ecus",
            "GET /api/v1/uptane/image/{version}.root.json",
            "GET /api/v1/uptane/image/timestamp.json",
            "GET /api/v1/uptane/image/snapshot.json",
            "GET /api/v1/uptane/image/targets.json",
            "POST /api/v1/uptane/image/targets",
            "GET /api/v1/uptane/director/{vin}/{version}.root.json",
            "GET /api/v1/uptane/director/{vin}/timestamp.json",
            "GET /api/v1/uptane/director/{vin}/snapshot.json",
            "GET /api/v1/uptane/director/{vin}/targets.json",
            "PUT /api/v1/uptane/director/{vin}/targets",
            "POST /api/v1/uptane/{repo}/root/rotate");

    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    static final Path API_SOURCES = Path.of("src/main/java/io/tsunagu/server/api");
    static final Pattern ROUTE_REGISTRATION =
            Pattern.compile("routing\\s*\\.\\s*(get|put|post|delete|patch|head|options)\\(\\s*\"([^\"]+)\"");

    TestServer server;
    JsonNode document;
    Vin vin;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir);
        vin = TestVins.northAmerican("1TSUSPEC", 1);
        server.register(vin, "alice");
        ApiCalls.Response response = server.api("").get("/openapi.yaml");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/yaml");
        document = new YAMLMapper().readTree(response.text());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void documentIsOpenApi3WithPaths() {
        assertThat(document.path("openapi").asText()).startsWith("3.");
        assertThat(documentedRoutes()).isNotEmpty();
    }

    @Test
    void everyDocumentedOperationIsServedWithADocumentedStatus() {
        assertThat(isNoRoute(call("GET /api/v1/not-a-route")))
                .as("the no-route detector recognises the router's fallback")
                .isTrue();
        List<String> problems = new ArrayList<>();
        for (String route : documentedRoutes()) {
            ApiCalls.Response response = call(route);
            if (isNoRoute(response)) {
                problems.add(route + " is documented but the server has no such route");
            } else if (!documentedStatuses(route).contains(Integer.toString(response.status()))) {
                problems.add(route + " answered " + response.status() + ", documented: " + documentedStatuses(route));
            }
        }
        assertThat(problems).as("documented operations").isEmpty();
    }

    @Test
    void everyLiveRouteIsDocumented() {
        Set<String> undocumented = new TreeSet<>(LIVE_ROUTES);
        undocumented.removeAll(documentedRoutes());

        assertThat(undocumented).as("live routes missing from openapi.yaml").isEmpty();
    }

    @Test
    void theLiveRouteListMatchesWhatTheApiSourcesRegister() throws IOException {
        assertThat(API_SOURCES)
                .as("run from the server module directory (Maven's default)")
                .isDirectory();
        Set<String> registered = new TreeSet<>();
        try (Stream<Path> files = Files.list(API_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = ROUTE_REGISTRATION.matcher(Files.readString(file));
                while (m.find()) {
                    registered.add(m.group(1).toUpperCase(Locale.ROOT) + " " + m.group(2));
                }
            }
        }

        assertThat(registered)
                .as("routes registered in %s; update LIVE_ROUTES (and openapi.yaml) when adding one", API_SOURCES)
                .containsExactlyInAnyOrderElementsOf(LIVE_ROUTES);
    }

    private Set<String> documentedRoutes() {
        Set<String> routes = new TreeSet<>();
        for (var path : document.path("paths").properties()) {
            for (var operation : path.getValue().properties()) {
                if (METHODS.contains(operation.getKey())) {
                    routes.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        return routes;
    }

    private Set<String> documentedStatuses(String route) {
        String[] parts = route.split(" ", 2);
        JsonNode responses = document.path("paths")
                .path(parts[1])
                .path(parts[0].toLowerCase(Locale.ROOT))
                .path("responses");
        Set<String> statuses = new TreeSet<>();
        responses.properties().forEach(status -> statuses.add(status.getKey()));
        return statuses;
    }

    /**
     * Calls a route as the admin, with the test car for {@code {vin}} and {@code {controllerId}}, unknown ids for
     * {@code {id}}, {@code {actionId}}, {@code {moduleId}} and {@code {sha256}}, root version 1 for {@code
     * {version}}, an unknown Uptane repository for {@code {repo}}, the DDI tenant for {@code {tenant}}, and an empty
     * JSON
     * object as any body; a stream is opened and closed once its headers arrived.
     */
    private ApiCalls.Response call(String route) {
        String[] parts = route.split(" ", 2);
        String path = parts[1].replace("{vin}", vin.value())
                .replace("{id}", "00000000-0000-0000-0000-000000000000")
                .replace("{sha256}", "0".repeat(64))
                // hawkBit DDI: the configured tenant, the test car as controller, unknown action and module ids
                .replace("{tenant}", "DEFAULT")
                .replace("{controllerId}", vin.value())
                .replace("{actionId}", "999999")
                .replace("{moduleId}", "1")
                .replace("{fileName}", "none.swu")
                .replace("{version}", "1")
                .replace("{repo}", "no-such-repository");
        if (path.endsWith("/stream")) {
            try (ApiCalls.EventStream stream = server.adminApi().stream(path)) {
                return new ApiCalls.Response(
                        stream.status(), server.adminApi().get("/health").body(), "", stream.headers());
            }
        }
        String body = parts[0].equals("GET") ? "" : "{}";
        return server.adminApi().request(parts[0], path, body);
    }

    private static boolean isNoRoute(ApiCalls.Response response) {
        return response.status() == 404
                && response.body().path("message").asText().startsWith("no route ");
    }
}
