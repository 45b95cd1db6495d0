package io.headnode.common.exec;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs subprocesses with {@link ProcessBuilder}, optionally behind a fixed prefix (for network commands:
 * e.g. {@code ip netns exec NS}, so the same code manages a namespace in tests and the host in production).
 *
 * <p>Standard output and error go to temporary files, not pipes, so a chatty tool cannot block on a full pipe until
 * its timeout, and no reader threads are needed; standard input comes from a temporary file too (or /dev/null). On
 * timeout or interrupt the process and all its descendants are killed (SIGKILL) and a {@link CommandException} is
 * thrown. The temporary files are unlinked as soon as the process has started: it writes to its own descriptors and
 * this reads through descriptors opened before the start, so nothing is left in the temp dir even when this JVM dies
 * while the command runs (a {@code finally} alone left one ipmitool output pair per test run).
 */
public final class ProcessCommandRunner implements CommandRunner {
    /** The most of each output stream that is kept. */
    static final int MAX_OUTPUT = 8 << 20;
    private static final Logger log = LoggerFactory.getLogger(ProcessCommandRunner.class);
    private static final File DEV_NULL = new File("/dev/null");
    private static final long REAP_SECONDS = 5;
    static final long FOLLOW_MILLIS = 200;
    private final List<String> prefix;

    public ProcessCommandRunner(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
    }

    /** A runner with no prefix: commands run as given. */
    public ProcessCommandRunner() {
        this(List.of());
    }

    public List<String> prefix() {
        return prefix;
    }

    @Override
    public CommandResult run(CommandSpec spec) {
        return run(spec, null);
    }

    /**
     * Runs {@code spec} like {@link #run(CommandSpec)} and, while it runs, hands each complete line it writes to
     * standard error to {@code errorLines} (read back from the temporary file about every {@link #FOLLOW_MILLIS} ms,
     * on the calling thread): for long commands whose stages a person follows, e.g. the image build. The result
     * still holds all of standard error.
     */
    public CommandResult run(CommandSpec spec, Consumer<String> errorLines) {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(spec.argv());
        String line = String.join(" ", full);
        log.debug("running {}", spec);
        List<Path> temp = new ArrayList<>();
        try {
            Path out = temp(temp, ".out");
            Path err = temp(temp, ".err");
            try (FileChannel outCh = FileChannel.open(out, StandardOpenOption.READ);
                    FileChannel errCh = FileChannel.open(err, StandardOpenOption.READ)) {
                ProcessBuilder pb = new ProcessBuilder(full).redirectOutput(out.toFile()).redirectError(err.toFile());
                if (spec.stdin().isEmpty()) {
                    pb.redirectInput(DEV_NULL);
                } else {
                    Path in = temp(temp, ".in");
                    Files.writeString(in, spec.stdin(), StandardCharsets.UTF_8);
                    pb.redirectInput(in.toFile());
                }
                pb.environment().putAll(spec.environment());
                spec.directory().ifPresent(d -> pb.directory(d.toFile()));
                Process p = start(pb, full);
                delete(temp);
                try {
                    if (!await(p, spec.timeout().toMillis(), errorLines == null ? null : new LineFollower(errCh, errorLines))) {
                        killTree(p);
                        throw new CommandException(CommandException.Kind.TIMED_OUT, line + " timed out after " + describe(spec.timeout().toMillis()), null);
                    }
                } catch (InterruptedException e) {
                    killTree(p);
                    Thread.currentThread().interrupt();
                    throw new CommandException(CommandException.Kind.INTERRUPTED, "interrupted while running " + line, e);
                }
                return new CommandResult(full, p.exitValue(), readOutput(outCh), readOutput(errCh));
            }
        } catch (IOException e) {
            throw new CommandException(CommandException.Kind.FAILED, "cannot capture the output of " + line + ": " + e.getMessage(), e);
        } finally {
            delete(temp); // when the start failed
        }
    }

    private static void delete(List<Path> temp) {
        for (Path t : temp) {
            try {
                Files.deleteIfExists(t);
            } catch (IOException e) {
                log.warn("cannot delete {}: {}", t, e.toString());
            }
        }
    }

    /** Waits for {@code p} up to {@code millis}; with a follower, in slices, passing on new lines. False on timeout. */
    private static boolean await(Process p, long millis, LineFollower follower) throws InterruptedException, IOException {
        if (follower == null) {
            return p.waitFor(millis, TimeUnit.MILLISECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            boolean exited = p.waitFor(Math.max(0, Math.min(FOLLOW_MILLIS, left)), TimeUnit.MILLISECONDS);
            follower.poll(exited);
            if (exited) {
                return true;
            }
            if (left <= 0) {
                return false;
            }
        }
    }

    /** Passes on the complete lines appended to a file since the last poll (at most {@link #MAX_OUTPUT} bytes in all). */
    private static final class LineFollower {
        private final FileChannel file;
        private final Consumer<String> lines;
        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
        private long position;

        LineFollower(FileChannel file, Consumer<String> lines) {
            this.file = file;
            this.lines = lines;
        }

        void poll(boolean last) throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (position < MAX_OUTPUT) {
                buf.clear();
                int n = file.read(buf, position);
                if (n <= 0) {
                    break;
                }
                position += n;
                for (int i = 0; i < n; i++) {
                    byte b = buf.get(i);
                    if (b == '\n') {
                        emit();
                    } else {
                        partial.write(b);
                    }
                }
            }
            if (last && partial.size() > 0) {
                emit();
            }
        }

        private void emit() {
            lines.accept(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
        }
    }

    /**
     * A tool's output as text: bytes that are not UTF-8 become U+FFFD instead of losing the exit code, and at most
     * {@link #MAX_OUTPUT} bytes are kept (a runaway tool cannot fill the heap; a truncated answer fails its parser).
     */
    static String readOutput(FileChannel file) throws IOException {
        file.position(0);
        InputStream in = Channels.newInputStream(file); // not closed here: closing it would close the channel
        return new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
    }

    private static Process start(ProcessBuilder pb, List<String> full) {
        try {
            return pb.start();
        } catch (IOException e) {
            throw new CommandException(CommandException.Kind.CANNOT_START, "cannot run " + full.get(0) + ": " + e.getMessage(), e);
        }
    }

    private static Path temp(List<Path> created, String suffix) throws IOException {
        Path p = Files.createTempFile("headnode", suffix);
        created.add(p);
        return p;
    }

    /** Kills {@code p} and every descendant (SIGKILL), then reaps {@code p} for a bounded time. */
    static void killTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(REAP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String describe(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
