package io.tsunagu.app;

import io.tsunagu.agent.command.PairingConfirmation;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.TsunaguServer;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.sim.FleetConfig;
import io.tsunagu.sim.FleetSimulator;
import io.tsunagu.sim.FleetStats;
import io.tsunagu.sim.FleetUpdates;
import io.tsunagu.sim.VinGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tsunagu demo}: the server on embedded defaults plus a simulated fleet, until interrupted. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run the server on embedded defaults with a simulated fleet.",
            "",
            "The simulated electric and hybrid cars connect over mutual TLS and stream VSS telemetry.",
            "Prints the API URL, an admin token and a mosquitto_pub line that publishes as a freshly",
            "registered car. Stop with Ctrl-C (or use --duration)."
        })
final class DemoCommand implements Runnable {
    /** Seed of the fleet's VINs; the mosquitto car uses another seed so it never collides with the fleet. */
    static final long FLEET_SEED = 1;

    static final long TOOL_CAR_SEED = 424_242;

    @CommandLine.Mixin
    ServerOptions server = new ServerOptions();

    @Option(names = "--vehicles", defaultValue = "100", description = "Simulated cars (default: ${DEFAULT-VALUE}).")
    int vehicles;

    @Option(
            names = "--speed",
            defaultValue = "1",
            description = "Simulated seconds per real second, e.g. 60 (default: ${DEFAULT-VALUE}).")
    double speed;

    @Option(
            names = "--report-interval-ms",
            defaultValue = "1000",
            description = "Simulated time between two telemetry frames of one car (default: ${DEFAULT-VALUE}).")
    long reportIntervalMs;

    @Option(names = "--duration", description = "Stop after this many seconds (default: run until Ctrl-C).")
    long durationSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        if (vehicles < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--vehicles must be >= 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        TsunaguServer tsunagu = TsunaguServer.start(server.toConfig());
        FleetSimulator fleet = vehicles > 0 ? startFleet(tsunagu) : null;
        Vin toolCar = VinGenerator.generate(1, TOOL_CAR_SEED).getFirst();
        Path toolDir = writeToolCar(tsunagu, toolCar);
        printBanner(out, tsunagu, toolCar, toolDir);
        Runnable stop = () -> {
            if (fleet != null) {
                fleet.close();
            }
            tsunagu.close();
        };
        Foreground.hold("tsunagu-demo", stop, durationSeconds, () -> status(tsunagu, fleet), out);
    }

    private static Optional<String> status(TsunaguServer tsunagu, FleetSimulator fleet) {
        if (fleet == null) {
            return Optional.empty();
        }
        FleetStats s = fleet.stats();
        return Optional.of(String.format(
                "fleet: %d/%d cars connected, %d frames recorded, %d acknowledged, %d twins",
                s.connected(),
                s.cars(),
                s.recorded(),
                s.acked(),
                tsunagu.twins().size()));
    }

    private FleetSimulator startFleet(TsunaguServer tsunagu) {
        FleetConfig config = FleetConfig.defaults(
                        vehicles, FLEET_SEED, server.dataDir.resolve("sim-buffers"), System.currentTimeMillis())
                .withBroker("localhost", tsunagu.mqttPort())
                .withSpeed(speed)
                .withReportRate(reportIntervalMs, 1);
        // With the HTTPS listener on, the demo cars take updates (DDI, Uptane, A/B) like real ones.
        Optional<FleetUpdates> updates = tsunagu.httpsPort().isPresent()
                ? Optional.of(FleetUpdates.of(
                        URI.create("https://localhost:" + tsunagu.httpsPort().getAsInt())))
                : Optional.empty();
        FleetSimulator fleet = new FleetSimulator(
                config,
                new LocalProvisioner(
                        tsunagu.registry(),
                        tsunagu.provisioning(),
                        tsunagu.commandKey(),
                        updates.map(u -> tsunagu.uptane())),
                PairingConfirmation.APPROVE,
                updates);
        fleet.start();
        return fleet;
    }

    /** Registers (or re-issues) the car used by the printed mosquitto_pub line and writes its PEM files. */
    static Path writeToolCar(TsunaguServer tsunagu, Vin vin) {
        IssuedCredentials credentials = tsunagu.registry().find(vin).isPresent()
                ? tsunagu.provisioning().reissue(vin)
                : tsunagu.provisioning()
                        .register(vin, "mosquitto_pub car", "demo-owner", Set.of("tool"))
                        .credentials();
        Path dir = tsunagu.config().dataDir().resolve("demo-car");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("cert.pem"), credentials.certificatePem());
            Files.writeString(dir.resolve("ca.pem"), credentials.caCertificatePem());
            Path key = dir.resolve("key.pem");
            Files.deleteIfExists(key);
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(key, credentials.privateKeyPem());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo car's credentials to " + dir, e);
        }
        return dir;
    }

    /** The copy-paste line that publishes telemetry as the demo's tool car (bash: the timestamp is taken at run). */
    static String mosquittoLine(Vin vin, Path credentials, int port) {
        Path dir = credentials.toAbsolutePath().normalize();
        return "mosquitto_pub -V mqttv5 -h localhost -p " + port + " -q 1 -i " + vin
                + " --cafile " + dir.resolve("ca.pem") + " --cert " + dir.resolve("cert.pem") + " --key "
                + dir.resolve("key.pem") + " -t vehicles/" + vin + "/telemetry"
                + " -m \"{\\\"ts\\\": $(date +%s%3N), \\\"signals\\\": {\\\"Vehicle.Speed\\\": 42.5,"
                + " \\\"Vehicle.Powertrain.TractionBattery.StateOfCharge.Current\\\": 77.5}}\"";
    }

    private void printBanner(PrintWriter out, TsunaguServer tsunagu, Vin toolCar, Path toolDir) {
        String api = "http://localhost:" + tsunagu.httpPort();
        out.println();
        out.println("Tsunagu demo is running with " + vehicles + " simulated cars (speed " + speed + "x).");
        out.println();
        out.println("  REST API      " + api + "/api/v1        OpenAPI: " + api + "/openapi.yaml");
        out.println("  MQTT/TLS      localhost:" + tsunagu.mqttPort() + " (client certificates required)");
        out.println("  admin token   " + tsunagu.adminToken());
        out.println();
        out.println("Look at the fleet:");
        out.println("  curl -s -H 'Authorization: Bearer " + tsunagu.adminToken() + "' " + api + "/api/v1/vehicles");
        out.println("  curl -s -H 'Authorization: Bearer " + tsunagu.adminToken() + "' " + api + "/api/v1/vehicles/"
                + toolCar + "/twin");
        out.println();
        out.println("Publish telemetry as the freshly registered car " + toolCar + ":");
        out.println("  " + mosquittoLine(toolCar, toolDir, tsunagu.mqttPort()));
        out.println();
        out.flush();
    }
}
