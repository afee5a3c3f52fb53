package io.tsunagu.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tsunagu commands send|list|show|cancel}: remote commands through the REST API. */
@Command(
        name = "commands",
        mixinStandardHelpOptions = true,
        description = "Send remote commands to cars and follow them.",
        subcommands = {
            CommandsCommand.Send.class,
            CommandsCommand.ListCommands.class,
            CommandsCommand.Show.class,
            CommandsCommand.Cancel.class
        })
final class CommandsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "send",
            mixinStandardHelpOptions = true,
            description = {
                "Send a command; it is queued if the car sleeps and delivered when it connects.",
                "Actions: doors.lock, doors.unlock, climate.start (temperature_c), climate.stop, charging.start,",
                "charging.stop, charging.set_limit (limit_percent), horn_lights.flash, charge_port.open, wake, refresh,",
                "keys.pair (key_id, public_key), keys.revoke (key_id; confirmed in the car).",
                "Once the car has a paired user key, only wake, refresh and keys.* are signed here (409",
                "user_signature_required otherwise): sign on the user's device and POST .../commands/signed."
            })
    static final class Send implements Runnable {
        @CommandLine.Mixin
        VehiclesCommand.Connection connection = new VehiclesCommand.Connection();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", description = "VIN of the car.")
        String vin;

        @Parameters(index = "1", description = "Action, e.g. doors.lock.")
        String action;

        @Option(
                names = {"-p", "--param"},
                description = "Parameter NAME=VALUE, repeatable, e.g. -p temperature_c=21.5")
        Map<String, String> params = new LinkedHashMap<>();

        @Option(names = "--expires-at", description = "ISO-8601 time after which the car must not execute it.")
        Optional<String> expiresAt;

        @Override
        public void run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("action", action);
            body.put("params", params);
            expiresAt.ifPresent(at -> body.put("expiresAt", at));
            JsonNode command = connection.client().post("api/v1/vehicles/" + vin + "/commands", body);
            print(spec.commandLine().getOut(), List.of(command));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "A car's commands, newest first.")
    static final class ListCommands implements Runnable {
        @CommandLine.Mixin
        VehiclesCommand.Connection connection = new VehiclesCommand.Connection();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", description = "VIN of the car.")
        String vin;

        @Override
        public void run() {
            JsonNode list = connection.client().get("api/v1/vehicles/" + vin + "/commands");
            java.util.List<JsonNode> items = new java.util.ArrayList<>();
            list.path("items").forEach(items::add);
            print(spec.commandLine().getOut(), items);
        }
    }

    /** A subcommand about one command of one car: {@code <VIN> <command id>}. */
    abstract static class OneCommand implements Runnable {
        @CommandLine.Mixin
        VehiclesCommand.Connection connection = new VehiclesCommand.Connection();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", description = "VIN of the car.")
        String vin;

        @Parameters(index = "1", description = "Command id.")
        String id;

        /** Calls the API for the command at {@code path} ({@code api/v1/vehicles/<vin>/commands/<id>}). */
        abstract JsonNode call(ApiClient client, String path);

        @Override
        public void run() {
            print(
                    spec.commandLine().getOut(),
                    List.of(call(connection.client(), "api/v1/vehicles/" + vin + "/commands/" + id)));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One command with its state.")
    static final class Show extends OneCommand {
        @Override
        JsonNode call(ApiClient client, String path) {
            return client.get(path);
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a command not yet delivered.")
    static final class Cancel extends OneCommand {
        @Override
        JsonNode call(ApiClient client, String path) {
            return client.post(path + "/cancel", Map.of());
        }
    }

    static void print(PrintWriter out, List<JsonNode> commands) {
        out.printf("%-36s  %-20s  %-10s  %-24s  %s%n", "ID", "ACTION", "STATE", "CREATED", "REASON");
        for (JsonNode c : commands) {
            out.printf(
                    "%-36s  %-20s  %-10s  %-24s  %s%n",
                    c.path("id").asText(),
                    c.path("action").asText(),
                    c.path("state").asText(),
                    c.path("createdAt").asText(),
                    c.path("reason").asText(""));
        }
        out.flush();
    }
}
