package io.tsunagu.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tsunagu vehicles register|list|revoke}: fleet administration through the REST API. */
@Command(
        name = "vehicles",
        mixinStandardHelpOptions = true,
        description = "Register, list and revoke vehicles on a running Tsunagu server.",
        subcommands = {VehiclesCommand.Register.class, VehiclesCommand.ListVehicles.class, VehiclesCommand.Revoke.class
        })
final class VehiclesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the API is and who is asking. */
    static final class Connection {
        @Option(
                names = "--url",
                defaultValue = "${env:TSUNAGU_URL:-http://localhost:8080}",
                description = "API base URL (env TSUNAGU_URL; default: ${DEFAULT-VALUE}).")
        String url;

        @Option(
                names = "--token",
                defaultValue = "${env:TSUNAGU_TOKEN}",
                description = "API bearer token (env TSUNAGU_TOKEN; default: the admin token in <data>/admin.token).")
        String token;

        @Option(names = "--data", defaultValue = "data", description = "Data directory of a local server.")
        Path dataDir;

        ApiClient client() {
            String bearer = token;
            if (bearer == null || bearer.isBlank()) {
                Path file = dataDir.resolve("admin.token");
                try {
                    bearer = Files.readString(file).trim();
                } catch (IOException e) {
                    throw new CommandLine.ParameterException(
                            new CommandLine(this), "no --token given and cannot read " + file + ": " + e.getMessage());
                }
            }
            return new ApiClient(URI.create(url.endsWith("/") ? url : url + "/"), bearer);
        }
    }

    @Command(
            name = "register",
            mixinStandardHelpOptions = true,
            description = {
                "Register a vehicle and issue its client certificate.",
                "Writes <out>/<VIN>/cert.pem, key.pem (0600) and ca.pem; the key is shown only this once."
            })
    static final class Register implements Runnable {
        @CommandLine.Mixin
        Connection connection = new Connection();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--vin", required = true, description = "17-character VIN (ISO 3779).")
        String vin;

        @Option(names = "--model", required = true, description = "Model name, e.g. 'Tsunagu EV 800V'.")
        String model;

        @Option(names = "--owner", required = true, description = "Owner's user name (sees this car via the API).")
        String owner;

        @Option(names = "--tag", description = "Tag, repeatable ([a-z0-9._-]).")
        List<String> tags = new ArrayList<>();

        @Option(names = "--out", defaultValue = "credentials", description = "Directory for the credentials.")
        Path out;

        @Override
        public void run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("vin", vin);
            body.put("model", model);
            body.put("owner", owner);
            body.put("tags", tags);
            JsonNode created = connection.client().post("api/v1/vehicles", body);
            Path dir = writeCredentials(out, created);
            PrintWriter w = spec.commandLine().getOut();
            w.printf(
                    "registered %s (%s, owner %s); credentials in %s%n",
                    created.path("vin").asText(), model, owner, dir);
            w.flush();
        }
    }

    static Path writeCredentials(Path out, JsonNode created) {
        JsonNode credentials = created.path("credentials");
        Path dir = out.resolve(created.path("vin").asText());
        try {
            Files.createDirectories(dir);
            Files.writeString(
                    dir.resolve("cert.pem"), credentials.path("certificatePem").asText());
            Files.writeString(
                    dir.resolve("ca.pem"), credentials.path("caCertificatePem").asText());
            Path key = dir.resolve("key.pem");
            Files.deleteIfExists(key);
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(key, credentials.path("privateKeyPem").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write credentials to " + dir, e);
        }
        return dir;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List vehicles (an owner sees own cars).")
    static final class ListVehicles implements Runnable {
        @CommandLine.Mixin
        Connection connection = new Connection();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--owner", description = "Only this owner's cars.")
        Optional<String> owner;

        @Override
        public void run() {
            String query = owner.map(
                            o -> "?owner=" + java.net.URLEncoder.encode(o, java.nio.charset.StandardCharsets.UTF_8))
                    .orElse("");
            JsonNode list = connection.client().get("api/v1/vehicles" + query);
            PrintWriter w = spec.commandLine().getOut();
            w.printf("%-17s  %-24s  %-16s  %-7s  %s%n", "VIN", "MODEL", "OWNER", "STATE", "TAGS");
            for (JsonNode v : list.path("items")) {
                List<String> tags = new ArrayList<>();
                v.path("tags").forEach(t -> tags.add(t.asText()));
                w.printf(
                        "%-17s  %-24s  %-16s  %-7s  %s%n",
                        v.path("vin").asText(),
                        v.path("model").asText(),
                        v.path("owner").asText(),
                        v.path("revoked").asBoolean() ? "revoked" : "active",
                        String.join(",", tags));
            }
            w.printf("%d vehicle(s)%n", list.path("count").asInt());
            w.flush();
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = {
                "Revoke a vehicle's certificates: new connections are refused at once and a live session is closed."
            })
    static final class Revoke implements Runnable {
        @CommandLine.Mixin
        Connection connection = new Connection();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", description = "VIN of the vehicle to revoke.")
        String vin;

        @Override
        public void run() {
            JsonNode revoked = connection.client().post("api/v1/vehicles/" + vin + "/revoke", Map.of());
            spec.commandLine()
                    .getOut()
                    .printf(
                            "revoked %s at %s%n",
                            revoked.path("vin").asText(),
                            revoked.path("revokedAt").asText());
            spec.commandLine().getOut().flush();
        }
    }
}
