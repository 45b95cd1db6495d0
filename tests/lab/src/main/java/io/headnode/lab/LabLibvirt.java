package io.headnode.lab;

import io.headnode.common.libvirt.Hypervisor;
import io.headnode.common.libvirt.LibvirtHypervisor;
import io.headnode.testing.Libvirtd;
import io.headnode.testing.NetworkNamespace;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The lab's libvirtd: the tests' own fixture ({@link Libvirtd}: libvirtd and virtlogd in the lab namespace, libvirt's
 * paths bound over the lab's directories, no networks, unix socket only), started detached so it outlives
 * {@code lab up}, and found again by the PIDs in the lab's state. Domains are driven through {@link Hypervisor}.
 */
final class LabLibvirt {
    static final String VIRTLOGD = "virtlogd";
    static final String LIBVIRTD = "libvirtd";
    private final LabSettings settings;
    private final LabState state;

    LabLibvirt(LabSettings settings, LabState state) {
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.state = Objects.requireNonNull(state, "state is null");
    }

    /** The running libvirtd of this lab, if both of its daemons still run. */
    Optional<Libvirtd> running(NetworkNamespace ns) {
        Optional<Long> virtlogd = state.pid(VIRTLOGD);
        Optional<Long> libvirtd = state.pid(LIBVIRTD);
        if (virtlogd.isEmpty() || libvirtd.isEmpty()) {
            return Optional.empty();
        }
        return Libvirtd.attach(ns, settings.libvirtDir(), virtlogd.get(), libvirtd.get());
    }

    /** The running libvirtd, or a new one (its PIDs recorded before anything else happens). */
    Libvirtd start(NetworkNamespace ns) {
        Optional<Libvirtd> running = running(ns);
        if (running.isPresent()) {
            return running.get();
        }
        stop();
        Libvirtd l = Libvirtd.startDetached(ns, settings.libvirtDir());
        state.putPid(VIRTLOGD, l.virtlogdPid());
        state.putPid(LIBVIRTD, l.pid());
        return l;
    }

    /** Stops whichever of the two daemons still runs (qemu processes go with the namespace). */
    void stop() {
        for (String daemon : new String[] {LIBVIRTD, VIRTLOGD}) {
            Path pidFile = Libvirtd.pidFile(settings.libvirtDir(), daemon);
            state.attach(daemon, pidFile.toString(), settings.libvirtDir().resolve(daemon + ".out")).ifPresent(d -> d.close());
        }
    }

    /** A connection to the lab libvirtd's unix socket; close it after use. */
    Hypervisor connect() {
        return LibvirtHypervisor.connect(settings.localUri());
    }
}
