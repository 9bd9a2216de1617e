package dev.approvals.local.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code approvals-local}: runs the approvals stack's pieces on this machine. Exit codes: 0 success, 1 failure,
 * 2 bad usage.
 */
@Command(name = "approvals-local",
        mixinStandardHelpOptions = true,
        versionProvider = Versions.class,
        description = {"Runs the approvals stack on this machine: the whole API (run), or its pieces: a",
            "PostgreSQL-backed RDS Data API (data-api), migrations (migrate), dev tokens (token).", ""},
        subcommands = {RunCommand.class, DataApiCommand.class, MigrateCommand.class, TokenCommand.class,
            CommandLine.HelpCommand.class},
        footer = {"", "Run 'approvals-local <command> --help' for a command's options."})
public final class ApprovalsLocal implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: run, data-api, migrate or token");
    }

    /** The command line, wired like {@link #main}; tests call this with their own writers. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new ApprovalsLocal());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("approvals-local: " + e.getMessage());
            return CommandLine.ExitCode.SOFTWARE;
        });
        return cli;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        // run and data-api return only once stopped (Ctrl-C), so exiting here is always right
        System.exit(commandLine(out, err).execute(args));
    }
}
