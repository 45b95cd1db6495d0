package io.headnode.orchestrator.spec;

/** A spec file that cannot be read; the message names file, line (0 = whole file) and key. */
public final class SpecFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public SpecFormatException(String file, int line, String field, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + field + ": " + problem);
    }
}
