package io.headnode.orchestrator.cli;

/** --output values. */
enum OutputFormat {
    text, json
}
