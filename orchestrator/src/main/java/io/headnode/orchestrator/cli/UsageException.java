package io.headnode.orchestrator.cli;

/** Bad input found after parsing (e.g. a VLAN outside 1..4094): exit code 2. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
