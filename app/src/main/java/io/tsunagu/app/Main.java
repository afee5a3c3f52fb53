package io.tsunagu.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./tsunagu}. */
@Command(
        name = "tsunagu",
        mixinStandardHelpOptions = true,
        version = "tsunagu 0.1.0",
        description = {
            "Tsunagu (繋ぐ): an open-source connected-vehicle platform for electric and hybrid cars.",
            "",
            "Quick start:  ./tsunagu demo --vehicles 200",
        },
        subcommands = {
            BenchCommand.class,
            AotTrainCommand.class,
            DemoCommand.class,
            ServerCommand.class,
            SimCommand.class,
            VehiclesCommand.class,
            CommandsCommand.class,
            ArtifactsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // Before the first logger exists: HiveMQ's jar carries its own logback.xml, so name ours explicitly.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "tsunagu-logback.xml");
        }
        // Helidon logs through java.util.logging; route it to SLF4J like everything else.
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        // Long-running commands (server, demo, sim) return only when stopped; exiting runs their shutdown hooks.
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("tsunagu: " + e.getMessage());
            return 1;
        });
        return cli;
    }
}
