package io.headnode.common.exec;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs subprocesses with {@link ProcessBuilder}, optionally behind a fixed prefix (for network commands:
 * e.g. {@code ip netns exec NS}, so the same code manages a namespace in tests and the host in production).
 */
public final class ProcessCommandRunner implements CommandRunner {
    private static final Logger log = LoggerFactory.getLogger(ProcessCommandRunner.class);
    private final List<String> prefix;

    public ProcessCommandRunner(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
    }

    public List<String> prefix() {
        return prefix;
    }

    @Override
    public CommandResult run(List<String> command, Duration timeout) {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        log.debug("running {}", full);
        File out = null;
        File err = null;
        try {
            out = File.createTempFile("headnode", ".out");
            err = File.createTempFile("headnode", ".err");
            Process p = new ProcessBuilder(full).redirectOutput(out).redirectError(err)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new CommandException(String.join(" ", full) + " timed out after " + timeout.toSeconds() + " s");
            }
            return new CommandResult(full, p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CommandException("cannot run " + full.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted while running " + String.join(" ", full), e);
        } finally {
            if (out != null) {
                out.delete();
            }
            if (err != null) {
                err.delete();
            }
        }
    }
}
