package io.tsunagu.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsunagu.agent.AgentCredentials;
import io.tsunagu.agent.command.CommandKey;
import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.Vin;
import io.tsunagu.sim.FleetConfig;
import io.tsunagu.sim.FleetSimulator;
import io.tsunagu.sim.FleetStats;
import io.tsunagu.sim.Provisioner;
import io.tsunagu.sim.model.VehicleProfile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tsunagu sim}: a simulated fleet against a running server, provisioned through the REST API. */
@Command(
        name = "sim",
        mixinStandardHelpOptions = true,
        description = {
            "Run simulated cars against a running server.",
            "",
            "Each car is registered (or given a fresh certificate) through the REST API, then connects",
            "over MQTT/TLS with its own certificate. Stop with Ctrl-C (or use --duration)."
        })
final class SimCommand implements Runnable {
    @CommandLine.Mixin
    VehiclesCommand.Connection connection = new VehiclesCommand.Connection();

    @Option(names = "--vehicles", defaultValue = "10", description = "Simulated cars (default: ${DEFAULT-VALUE}).")
    int vehicles;

    @Option(
            names = "--speed",
            defaultValue = "1",
            description = "Simulated seconds per real second (default: ${DEFAULT-VALUE}).")
    double speed;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed of the VINs and the car models (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--mqtt-host", defaultValue = "localhost", description = "Broker host (default: ${DEFAULT-VALUE}).")
    String mqttHost;

    @Option(names = "--mqtt-port", defaultValue = "8883", description = "Broker TLS port (default: ${DEFAULT-VALUE}).")
    int mqttPort;

    @Option(
            names = "--buffers",
            defaultValue = "sim-buffers",
            description = "Folder of the cars' offline buffers (default: ${DEFAULT-VALUE}).")
    Path buffers;

    @Option(names = "--duration", description = "Stop after this many seconds (default: until Ctrl-C).")
    long durationSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        ApiClient api = connection.client();
        FleetConfig config = FleetConfig.defaults(vehicles, seed, buffers, System.currentTimeMillis())
                .withBroker(mqttHost, mqttPort)
                .withSpeed(speed);
        FleetSimulator fleet = new FleetSimulator(config, new RestProvisioner(api));
        fleet.start();
        PrintWriter out = spec.commandLine().getOut();
        Foreground.hold(
                "tsunagu-sim",
                fleet::close,
                durationSeconds,
                () -> {
                    FleetStats s = fleet.stats();
                    return Optional.of(String.format(
                            "fleet: %d/%d cars connected, %d frames recorded, %d acknowledged, %d buffered",
                            s.connected(), s.cars(), s.recorded(), s.acked(), s.buffered()));
                },
                out);
    }

    /** Registers cars through {@code POST /api/v1/vehicles}; a car that exists gets a new certificate. */
    record RestProvisioner(ApiClient api) implements Provisioner {
        @Override
        public AgentCredentials provision(Vin vin, VehicleProfile profile) {
            return provisionCar(vin, profile).credentials();
        }

        @Override
        public Provisioned provisionCar(Vin vin, VehicleProfile profile) {
            JsonNode response;
            try {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("vin", vin.value());
                body.put("model", "Tsunagu " + profile.name());
                body.put("owner", "sim-owner");
                body.put(
                        "tags",
                        List.of(
                                "simulated",
                                profile.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-")));
                response = api.post("api/v1/vehicles", body);
            } catch (TsunaguException e) {
                if (!"vehicle_exists".equals(e.code())) {
                    throw e;
                }
                response = api.post("api/v1/vehicles/" + vin + "/certificates", Map.of());
            }
            JsonNode issued = response.path("credentials");
            AgentCredentials credentials = AgentCredentials.fromPem(
                    issued.path("certificatePem").asText(),
                    issued.path("privateKeyPem").asText(),
                    issued.path("caCertificatePem").asText());
            JsonNode key = response.path("commandKey");
            List<CommandKey> keys = key.isObject()
                    ? List.of(CommandKey.decode(
                            key.path("keyId").asText(),
                            key.path("algorithm").asText(),
                            key.path("publicKey").asText()))
                    : List.of();
            return new Provisioned(credentials, keys);
        }
    }
}
