package io.headnode.packaging;

import io.headnode.common.exec.CommandResult;
import io.headnode.testing.Command;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A fresh Debian 12 root for a package test: a copy of a cached minbase root (debootstrap) that already holds the
 * given packages (a package's Depends), so that CI pays debootstrap and the downloads once a day and a test only
 * unpacks a tar (~5 s). Package scripts may not start daemons in it (its own policy-rc.d). Commands run in it with
 * chroot. /proc is mounted in it (the java command refuses to run without it: "requires a mounted proc fs");
 * {@link #close} unmounts it, also after a failure, and only then deletes the root.
 */
final class DebianRoot implements AutoCloseable {
    static final Path CACHE = Path.of(System.getProperty("headnode.debootstrapCache", "/var/cache/headnode/debootstrap"));
    private static final Duration DEBOOTSTRAP = Duration.ofMinutes(15);
    private final Path dir;
    private boolean procMounted;

    private DebianRoot(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir is null");
    }

    private DebianRoot mountProc() {
        Command.check("mount", "-t", "proc", "proc", dir.resolve("proc").toString());
        procMounted = true;
        return this;
    }

    private void unmountProc() {
        if (procMounted) {
            String proc = dir.resolve("proc").toString();
            if (!Command.run("umount", proc).ok()) {
                Command.check("umount", "-l", proc);
            }
            procMounted = false;
        }
    }

    /** A new root in {@code dir} (which must not exist) made from the cached base holding {@code packages}. */
    static DebianRoot fresh(Path dir, List<String> packages) throws IOException {
        Path base = cachedBase(packages);
        Files.createDirectories(dir);
        DebianRoot root = new DebianRoot(dir);
        try {
            Command.run(Duration.ofMinutes(5), List.of("tar", "-x", "--numeric-owner", "-f", base.toString(), "-C", dir.toString())).orThrow();
            root.mountProc();
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
        return root;
    }

    Path path(String absolute) {
        return dir.resolve(absolute.substring(1));
    }

    CommandResult chroot(Duration timeout, String... command) {
        List<String> argv = new ArrayList<>(List.of("env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8",
                "DEBIAN_FRONTEND=noninteractive", "chroot", dir.toString()));
        argv.addAll(List.of(command));
        return Command.run(timeout, argv);
    }

    @Override
    public void close() throws IOException {
        unmountProc();
        Command.run(Duration.ofMinutes(2), List.of("rm", "-rf", "--one-file-system", dir.toString())).orThrow();
    }

    /**
     * The base root as a tar under {@link #CACHE}, keyed on the day, the mirror and the packages: made once with
     * {@code debootstrap --variant=minbase bookworm} and {@code apt-get install}; older ones are deleted.
     */
    static synchronized Path cachedBase(List<String> packages) throws IOException {
        String mirror = mirror();
        String key = LocalDate.now(ZoneOffset.UTC) + "-" + sha(mirror + " " + String.join(" ", packages));
        Files.createDirectories(CACHE);
        Path tar = CACHE.resolve("bookworm-minbase-" + key + ".tar");
        try (FileChannel lock = FileChannel.open(CACHE.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lock.lock()) {
            if (Files.isRegularFile(tar)) {
                return tar;
            }
            Path work = CACHE.resolve("build-" + ProcessHandle.current().pid());
            try {
                Command.run(DEBOOTSTRAP, List.of("debootstrap", "--variant=minbase", "--cache-dir=" + debs(), "bookworm", work.toString(),
                        mirror)).orThrow();
                Files.writeString(work.resolve("usr/sbin/policy-rc.d"), "#!/bin/sh\n# package tests: no daemon starts in this root\nexit 101\n");
                Command.check("chmod", "755", work.resolve("usr/sbin/policy-rc.d").toString());
                DebianRoot base = new DebianRoot(work).mountProc();
                try {
                    List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends"));
                    install.addAll(packages);
                    base.chroot(DEBOOTSTRAP, install.toArray(String[]::new)).orThrow();
                    base.chroot(Duration.ofMinutes(1), "apt-get", "clean").orThrow();
                } finally {
                    base.unmountProc();
                }
                Path partial = CACHE.resolve(tar.getFileName() + ".partial");
                Command.run(Duration.ofMinutes(5), List.of("tar", "-c", "--numeric-owner", "-f", partial.toString(), "-C", work.toString(), "."))
                        .orThrow();
                Files.move(partial, tar);
            } finally {
                Command.run(Duration.ofMinutes(2), List.of("rm", "-rf", "--one-file-system", work.toString()));
            }
            try (Stream<Path> old = Files.list(CACHE)) {
                for (Path p : old.filter(p -> p.getFileName().toString().startsWith("bookworm-minbase-") && !p.equals(tar)
                        && !p.toString().endsWith(".partial")).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            return tar;
        }
    }

    /** debootstrap's download cache: a new day's base downloads only what changed. */
    private static Path debs() throws IOException {
        return Files.createDirectories(CACHE.resolve("debs"));
    }

    /** The Debian mirror as this host's apt is configured (one-line or deb822 sources), as the image build finds it. */
    static String mirror() throws IOException {
        List<Path> sources = new ArrayList<>(List.of(Path.of("/etc/apt/sources.list")));
        Path d = Path.of("/etc/apt/sources.list.d");
        if (Files.isDirectory(d)) {
            try (Stream<Path> s = Files.list(d)) {
                s.filter(p -> p.toString().endsWith(".list") || p.toString().endsWith(".sources")).sorted().forEach(sources::add);
            }
        }
        for (Path p : sources) {
            if (!Files.isRegularFile(p)) {
                continue;
            }
            var m = java.util.regex.Pattern.compile("(https?|file)://\\S+/debian/?(?=\\s|$)").matcher(Files.readString(p));
            while (m.find()) {
                if (!m.group().contains("security")) {
                    return m.group();
                }
            }
        }
        return "http://deb.debian.org/debian";
    }

    private static String sha(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
