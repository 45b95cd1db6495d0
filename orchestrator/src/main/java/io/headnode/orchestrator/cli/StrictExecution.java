package io.headnode.orchestrator.cli;

import picocli.CommandLine;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * picocli's {@link CommandLine.RunLast}, except that an argument nothing matched (an unknown subcommand, a stray word)
 * is a usage error even when {@code --help} was given: picocli skips that check once a help option is seen, so
 * {@code headnode hosts --help} used to print the top-level help and exit 0. The {@link ParameterException} thrown here
 * reaches the command line's parameter exception handler (exit 2). Used by {@code headnode} and {@code headnode lab}.
 */
public final class StrictExecution implements IExecutionStrategy {
    private final IExecutionStrategy next = new CommandLine.RunLast();

    @Override
    public int execute(ParseResult parseResult) throws ExecutionException, ParameterException {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (!p.unmatched().isEmpty()) {
                throw new UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
            }
        }
        return next.execute(parseResult);
    }
}
