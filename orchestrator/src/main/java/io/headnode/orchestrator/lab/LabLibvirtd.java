package io.headnode.orchestrator.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * The lab's own libvirtd and virtlogd, inside the lab namespace. A small wrapper bind-mounts directories of the
 * lab over libvirt's fixed paths (in the private mount namespace {@code ip netns exec} gives it), so this daemon
 * has its own config, state and logs and never meets a system libvirtd. It has no networks at all (libvirt's
 * "default" NAT network is never defined). Clients: its unix socket (host namespace, {@link LabSettings#localUri()})
 * and TCP without auth on the lab's public bridge address only, for the head node's libvirt power driver.
 */
final class LabLibvirtd {
    static final String VIRTLOGD = "virtlogd";
    static final String LIBVIRTD = "libvirtd";
    private static final List<String> SUBDIRS = List.of("etc", "run", "lib", "log", "cache", "sock");
    private static final String WRAPPER = """
            #!/bin/sh
            # headnode lab: run CMD with the lab's directories bound over libvirt's paths. Started by
            # `ip netns exec`, which gives it a private mount namespace: the host never sees these mounts.
            set -eu
            w=$1
            shift
            for pair in etc:/etc/libvirt run:/run/libvirt lib:/var/lib/libvirt log:/var/log/libvirt cache:/var/cache/libvirt; do
              src="$w/${pair%%:*}"
              dst="${pair#*:}"
              [ -d "$dst" ] || mkdir -p "$dst"
              mount --bind "$src" "$dst"
            done
            # The lab runs its domains under TCG. Where /dev/kvm exists but does not work (nested, no vmx), libvirt
            # would see KVM as usable but its probe as failed, and re-probe QEMU (~45 s) on every define. An
            # unreadable file over /dev/kvm, in this mount namespace only, keeps its capabilities cache valid.
            if [ -e /dev/kvm ]; then
              : > "$w/run/no-kvm"
              chmod 000 "$w/run/no-kvm"
              mount --bind "$w/run/no-kvm" /dev/kvm
            fi
            exec "$@"
            """;
    private final LabSettings settings;
    private final LabState state;

    LabLibvirtd(LabSettings settings, LabState state) {
        this.settings = settings;
        this.state = state;
    }

    Path socket() {
        return settings.libvirtDir().resolve("sock/libvirt-sock");
    }

    boolean running() {
        return state.pid(LIBVIRTD).flatMap(p -> LabDaemons.alive(p, LIBVIRTD)).isPresent()
                && state.pid(VIRTLOGD).flatMap(p -> LabDaemons.alive(p, VIRTLOGD)).isPresent();
    }

    /** Writes the configuration and starts both daemons unless they already run; waits for the socket. */
    void start() {
        if (running()) {
            return;
        }
        Path w = settings.libvirtDir();
        try {
            Files.createDirectories(w);
            for (String d : SUBDIRS) {
                Files.createDirectories(w.resolve(d));
                Files.setPosixFilePermissions(w.resolve(d), PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path autostart = w.resolve("etc/qemu/networks/autostart");
            if (Files.isDirectory(autostart)) {
                try (var s = Files.list(autostart)) {
                    if (s.findAny().isPresent()) {
                        throw new LabException("refusing to start libvirtd: a network is set to autostart in " + autostart);
                    }
                }
            }
            write(w.resolve("etc/libvirtd.conf"), String.join("\n",
                    "# written by headnode lab",
                    "unix_sock_dir = \"" + w.resolve("sock") + "\"",
                    "unix_sock_group = \"root\"",
                    "unix_sock_ro_perms = \"0700\"",
                    "unix_sock_rw_perms = \"0700\"",
                    "unix_sock_admin_perms = \"0700\"",
                    "auth_unix_ro = \"none\"",
                    "auth_unix_rw = \"none\"",
                    "# the head node's libvirt power driver: TCP, no auth, only on the lab's public bridge (inside the lab namespace)",
                    "listen_tls = 0",
                    "listen_tcp = 1",
                    "listen_addr = \"" + LabSettings.HOST_ADDRESS + "\"",
                    "tcp_port = \"" + LabSettings.LIBVIRTD_PORT + "\"",
                    "auth_tcp = \"none\"",
                    "log_outputs = \"3:file:" + w.resolve("log/libvirtd.log") + "\"",
                    ""));
            write(w.resolve("etc/virtlogd.conf"), "log_outputs = \"3:file:" + w.resolve("log/virtlogd.log") + "\"\n");
            write(w.resolve("etc/qemu.conf"), "security_driver = \"none\"\nstdio_handler = \"logd\"\n# no private /dev per domain: it would copy the /dev/kvm stand-in, which cannot be moved\nnamespaces = [ ]\n");
            Path wrapper = w.resolve("libvirt-private.sh");
            write(wrapper, WRAPPER);
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.deleteIfExists(w.resolve("run/virtlogd-sock"));
            Files.deleteIfExists(socket());
            long vl = LabDaemons.start(settings.namespace(), w.resolve("virtlogd.out"),
                    List.of(wrapper.toString(), w.toString(), VIRTLOGD, "-p", "/run/libvirt/virtlogd.pid", "-f", "/etc/libvirt/virtlogd.conf"));
            state.put("pid." + VIRTLOGD, Long.toString(vl));
            LabDaemons.waitFor(w.resolve("run/virtlogd-sock"), vl, VIRTLOGD, Duration.ofSeconds(30), w.resolve("virtlogd.out"));
            long lv = LabDaemons.start(settings.namespace(), w.resolve("libvirtd.out"),
                    List.of(wrapper.toString(), w.toString(), LIBVIRTD, "--listen", "-p", "/run/libvirt/libvirtd.pid", "-f", "/etc/libvirt/libvirtd.conf"));
            state.put("pid." + LIBVIRTD, Long.toString(lv));
            LabDaemons.waitFor(socket(), lv, LIBVIRTD, Duration.ofSeconds(30), w.resolve("libvirtd.out"));
            Exec.run(Duration.ofSeconds(30), List.of("virsh", "-c", settings.localUri(), "uri")).orThrow();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare libvirtd in " + w, e);
        }
    }

    /** Stops libvirtd (its qemu processes are stopped with the namespace), then virtlogd. */
    void stop() {
        state.pid(LIBVIRTD).ifPresent(p -> LabDaemons.stop(p, LIBVIRTD, Duration.ofSeconds(15)));
        state.pid(VIRTLOGD).ifPresent(p -> LabDaemons.stop(p, VIRTLOGD, Duration.ofSeconds(10)));
    }

    private static void write(Path p, String text) throws IOException {
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }
}
