package io.tsunagu.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsunagu.agent.AgentCredentials;
import io.tsunagu.agent.command.CommandKey;
import io.tsunagu.protocol.Vin;
import io.tsunagu.sim.Provisioner;
import io.tsunagu.sim.model.VehicleProfile;
import java.util.List;

/**
 * Registers the simulated cars of a {@link io.tsunagu.sim.FleetSimulator} with the server under test through {@code
 * POST /api/v1/vehicles} (admin token) and hands each car its credentials and the fleet command key of the
 * registration response, so that the cars execute the commands the bench sends. The same steps as {@code tsunagu
 * sim}'s provisioner (app module, which bench cannot see); the bench's VINs are fresh, so an existing car is an error.
 */
final class RestCarProvisioner implements Provisioner {
    private final ChildServer server;

    RestCarProvisioner(ChildServer server) {
        this.server = server;
    }

    @Override
    public AgentCredentials provision(Vin vin, VehicleProfile profile) {
        return provisionCar(vin, profile).credentials();
    }

    @Override
    public Provisioned provisionCar(Vin vin, VehicleProfile profile) {
        String body = "{\"vin\":\"" + vin + "\",\"model\":\"bench\",\"owner\":\"bench\",\"tags\":[\"bench\"]}";
        JsonNode response = server.post("/api/v1/vehicles", body);
        JsonNode issued = response.path("credentials");
        AgentCredentials credentials = AgentCredentials.fromPem(
                issued.path("certificatePem").asText(),
                issued.path("privateKeyPem").asText(),
                issued.path("caCertificatePem").asText());
        JsonNode key = response.path("commandKey");
        if (!key.isObject()) {
            throw new IllegalStateException("the registration of " + vin + " carries no commandKey");
        }
        CommandKey commandKey = CommandKey.decode(
                key.path("keyId").asText(),
                key.path("algorithm").asText(),
                key.path("publicKey").asText());
        return new Provisioned(credentials, List.of(commandKey));
    }
}
