package io.headnode.agent.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link CommandRunner} over {@link ProcessBuilder}; kills the process (and its children) on timeout. */
public final class ProcessCommandRunner implements CommandRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessCommandRunner.class);

    @Override
    public Result run(List<String> argv, Duration timeout) {
        return run(argv, null, timeout);
    }

    @Override
    public Result run(List<String> argv, byte[] stdin, Duration timeout) {
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(argv);
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            p = pb.start();
        } catch (IOException e) {
            return new Result(127, "", "cannot run " + argv.get(0) + ": " + e.getMessage());
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try {
            if (stdin != null) {
                try (OutputStream os = p.getOutputStream()) {
                    os.write(stdin);
                } catch (IOException e) {
                    LOG.debug("{} closed its input early: {}", argv.get(0), e.toString());
                }
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
                return new Result(124, "", argv.get(0) + " timed out after " + timeout.toMillis() + " ms");
            }
            return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(130, "", "interrupted");
        } catch (Exception e) {
            return new Result(p.isAlive() ? 124 : p.exitValue(), "", "output of " + argv.get(0) + " lost: " + e);
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                in.transferTo(b);
                f.complete(b.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.completeExceptionally(new UncheckedIOException(e));
            }
        }, "cmd-drain");
        t.setDaemon(true);
        t.start();
        return f;
    }
}
