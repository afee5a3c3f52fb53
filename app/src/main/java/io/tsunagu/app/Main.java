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
            DemoCommand.class,
            ServerCommand.class,
            SimCommand.class,
            VehiclesCommand.class,
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
        int code = commandLine().execute(args);
        if (code != 0 || !ServerCommand.keepsRunning(args)) {
            System.exit(code);
        }
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
