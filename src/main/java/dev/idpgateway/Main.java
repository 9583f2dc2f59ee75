package dev.idpgateway;

import dev.idpgateway.cli.CommandLine;

/** The entry point of {@code java -jar idp-gateway.jar}; {@link CommandLine} reads the arguments and runs the sub-command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        CommandLine.run(args);
    }
}
