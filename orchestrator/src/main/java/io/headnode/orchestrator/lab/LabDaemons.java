package io.headnode.orchestrator.lab;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lab's long-running processes (virtlogd, libvirtd, udhcpd): started detached (setsid, so they outlive
 * {@code lab up}) inside the lab namespace, remembered by PID, stopped by PID: SIGTERM, then SIGKILL. Never by name.
 */
final class LabDaemons {
    private LabDaemons() {
    }

    /** Starts {@code cmd} inside {@code namespace}, output appended to {@code log}; returns its PID. */
    static long start(String namespace, Path log, List<String> cmd) {
        List<String> all = new ArrayList<>(List.of("setsid", "ip", "netns", "exec", namespace));
        all.addAll(cmd);
        try {
            Process p = new ProcessBuilder(all).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            return p.pid();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd.get(0), e);
        }
    }

    /** The process, if {@code pid} is alive and still runs {@code program} (a PID is not reused for another program). */
    static Optional<ProcessHandle> alive(long pid, String program) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().or(() -> p.info().command()).map(c -> c.contains(program)).orElse(true));
    }

    /** Stops {@code pid} if it still runs {@code program}: SIGTERM, wait, then SIGKILL. Returns true if it was running. */
    static boolean stop(long pid, String program, Duration grace) {
        Optional<ProcessHandle> p = alive(pid, program);
        if (p.isEmpty()) {
            return false;
        }
        p.get().destroy();
        try {
            p.get().onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            p.get().destroyForcibly();
            try {
                p.get().onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported by the caller's next check
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // the process is gone
        }
        return true;
    }

    /** Waits until {@code file} exists, failing early if {@code pid} died; {@code logForErrors} goes into the error. */
    static void waitFor(Path file, long pid, String program, Duration timeout, Path logForErrors) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!file.toFile().exists()) {
            if (alive(pid, program).isEmpty()) {
                throw new LabException(program + " exited before creating " + file + ": " + tail(logForErrors));
            }
            if (System.nanoTime() > deadline) {
                throw new LabException(program + " did not create " + file + " within " + timeout.toSeconds() + " s: " + tail(logForErrors));
            }
            sleep(Duration.ofMillis(50));
        }
    }

    static String tail(Path log) {
        try {
            String s = java.nio.file.Files.readString(log);
            return s.length() > 600 ? s.substring(s.length() - 600) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted");
        }
    }
}
