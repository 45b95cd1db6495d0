package io.headnode.orchestrator.render;

import io.headnode.orchestrator.config.HostConfig;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses {@code kvm} or {@code qemu} (TCG) for the domain type. With domain-type=auto, kvm only when /dev/kvm
 * can be opened and the CPU advertises hardware virtualization (vmx/svm): a nested "PVM" /dev/kvm without them
 * exists on some clouds and hangs guests. The decision is made once and logged.
 */
public final class DomainTypeProbe {
    private static final Logger log = LoggerFactory.getLogger(DomainTypeProbe.class);
    private final String configured;
    private final Path devKvm;
    private final Path cpuinfo;
    private String decided;

    @Inject
    public DomainTypeProbe(HostConfig config) {
        this(config.domainType(), Path.of("/dev/kvm"), Path.of("/proc/cpuinfo"));
    }

    DomainTypeProbe(String configured, Path devKvm, Path cpuinfo) {
        this.configured = Objects.requireNonNull(configured, "configured is null");
        this.devKvm = devKvm;
        this.cpuinfo = cpuinfo;
    }

    public synchronized String domainType() {
        if (decided == null) {
            decided = decide();
        }
        return decided;
    }

    private String decide() {
        if (!configured.equals("auto")) {
            log.info("domain type {} (configured)", configured);
            return configured;
        }
        boolean hwVirt;
        try {
            String flags = Files.readString(cpuinfo);
            hwVirt = flags.matches("(?s).*\\bflags\\s*:.*\\b(vmx|svm)\\b.*");
        } catch (IOException e) {
            hwVirt = false;
        }
        boolean openable = Files.isReadable(devKvm) && Files.isWritable(devKvm);
        String type = hwVirt && openable ? "kvm" : "qemu";
        log.info("domain type {} (/dev/kvm {}, cpu {} vmx/svm)", type, openable ? "usable" : "not usable", hwVirt ? "has" : "lacks");
        return type;
    }
}
