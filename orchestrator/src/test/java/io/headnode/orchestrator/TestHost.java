package io.headnode.orchestrator;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.util.Modules;
import io.headnode.orchestrator.cli.HeadnodeCommand;
import io.headnode.orchestrator.cli.Main;
import io.headnode.orchestrator.config.HostConfig;
import io.headnode.orchestrator.inject.HostModule;
import io.headnode.orchestrator.inject.ReconcileModule;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/** A host rooted in a temp dir: state, shares and a copy of /etc/apparmor.d; runs the CLI in-process. */
public final class TestHost {
    public final Path root;
    public final HostConfig config;
    private final Function<HostConfig, List<Module>> modules;

    public TestHost(Path root, String connect, List<String> networkPrefix, String publicBridge, Module... overrides) throws IOException {
        this.root = root;
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        copyTree(Path.of("/etc/apparmor.d"), root.resolve("apparmor.d"));
        config = new HostConfig(root.resolve("state"), root.resolve("share"), root.resolve("apparmor.d"),
                Path.of("/usr/sbin/apparmor_parser"), connect, "br-vlan", publicBridge, networkPrefix, "libvirt-qemu", "auto",
                root.resolve("images/none.qcow2"), 128, 1);
        this.modules = c -> List.of(Modules.override(new HostModule(c), new ReconcileModule()).with(overrides));
    }

    /** A host whose libvirt and bridges are the given fakes (nothing touches libvirtd or the kernel). */
    public static TestHost withFakes(Path root, FakeHypervisor hv, FakeVlanNetwork net) throws IOException {
        return new TestHost(root, "test:///default", List.of(), "br0", new com.google.inject.AbstractModule() {
            @Override
            protected void configure() {
                bind(io.headnode.common.libvirt.Hypervisor.class).toInstance(hv);
                bind(io.headnode.orchestrator.net.VlanNetwork.class).toInstance(net);
            }
        });
    }

    /** Result of one CLI run. */
    public record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    public Run cli(String... args) {
        return cli(modules, args);
    }

    public Run cli(Function<HostConfig, List<Module>> mods, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        HeadnodeCommand root = new HeadnodeCommand(config, mods);
        int code = Main.run(root, Main.SUBCOMMANDS, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** An injector over this host's modules, as the CLI builds it: for tests that call the reconciler directly. */
    public Injector injector() {
        return Guice.createInjector(modules.apply(config));
    }

    /** The modules with extra overrides (e.g. a crashing observer). */
    public Function<HostConfig, List<Module>> with(Module... more) {
        return c -> List.of(Modules.override(modules.apply(c).get(0)).with(more));
    }

    /** Writes this host's configuration as an orchestrator.conf, for runs of the real launcher. */
    public Path writeConfigFile() throws IOException {
        Path f = root.resolve("orchestrator.conf");
        Files.writeString(f, String.join("\n", "state-dir = " + config.stateDir(), "share-root = " + config.shareRoot(),
                "apparmor-dir = " + config.apparmorDir(), "apparmor-parser = " + config.apparmorParser(), "connect = " + config.connect(),
                "bridge-prefix = " + config.bridgePrefix(), "public-bridge = " + config.publicBridge(),
                "network-command-prefix = " + String.join(" ", config.networkCommandPrefix()), "qemu-user = " + config.qemuUser(),
                "domain-type = " + config.domainType(), "default-image = " + config.defaultImage(),
                "default-memory-mib = " + config.defaultMemoryMib(), "default-vcpus = " + config.defaultVcpus(), ""));
        return f;
    }

    public Path shareDir(int vlan) {
        return config.shareRoot().resolve(Integer.toString(vlan));
    }

    public Path overlay(int vlan) {
        return config.stateDir().resolve("disks/headnode-vlan" + vlan + ".qcow2");
    }

    public Path localInclude() {
        return config.apparmorDir().resolve("local/abstractions/libvirt-qemu");
    }

    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
