package io.headnode.power.ipmi;

import io.headnode.common.exec.CommandSpec;
import io.headnode.common.exec.ProcessCommandRunner;
import io.headnode.testing.Daemon;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * A real ipmi_sim (OpenIPMI's BMC simulator) on 127.0.0.1:port, user admin with a given password, whose
 * chassis_control hook keeps power and boot device in files under its directory (so a test sees what the BMC
 * was told). Started and stopped by PID.
 */
public final class IpmiSim implements AutoCloseable {
    static final String HOOK = """
            #!/bin/sh
            # chassis_control hook for ipmi_sim: STATEDIR [mc-addr] get|set NAME [VALUE]...
            dir=$1; shift
            case "$1" in 0x*) shift;; esac
            op=$1; shift
            if [ "$op" = get ]; then
              for p in "$@"; do
                case "$p" in
                  power) echo "power:$(cat "$dir/power" 2>/dev/null || echo 0)";;
                  boot) echo "boot:$(cat "$dir/boot" 2>/dev/null || echo default)";;
                  *) echo "invalid parm $p"; exit 1;;
                esac
              done
              exit 0
            fi
            while [ $# -gt 1 ]; do
              p=$1; v=$2; shift 2
              case "$p" in
                power) echo "$v" > "$dir/power"; echo "power $v" >> "$dir/log";;
                reset) echo "reset $v" >> "$dir/log";;
                boot) echo "$v" > "$dir/boot"; echo "boot $v" >> "$dir/log";;
                identify) ;;
                *) echo "invalid parm $p"; exit 1;;
              esac
            done
            """;

    private final Daemon daemon;
    private final int port;
    private final Path dir;

    private IpmiSim(Daemon daemon, int port, Path dir) {
        this.daemon = daemon;
        this.port = port;
        this.dir = dir;
    }

    public static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a simulator in {@code dir}; power starts as {@code powerOn}. */
    public static IpmiSim start(Path dir, String password, boolean powerOn) {
        try {
            Files.createDirectories(dir.resolve("state"));
            Path hook = dir.resolve("chassis.sh");
            Files.writeString(hook, HOOK);
            Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(dir.resolve("state/power"), powerOn ? "1\n" : "0\n");
            int port = freeUdpPort();
            Files.writeString(dir.resolve("lan.conf"), String.join("\n",
                    "name \"sim" + port + "\"",
                    "set_working_mc 0x20",
                    "startlan 1",
                    "  addr 127.0.0.1 " + port,
                    "  priv_limit admin",
                    "  allowed_auths_callback none md2 md5 straight",
                    "  allowed_auths_user none md2 md5 straight",
                    "  allowed_auths_operator none md2 md5 straight",
                    "  allowed_auths_admin none md2 md5 straight",
                    "  guid a123456789abcdefa123456789abcdef",
                    "endlan",
                    "chassis_control \"" + hook + " " + dir.resolve("state") + "\"",
                    "user 2 true \"admin\" \"" + password + "\" admin 10 none md2 md5 straight",
                    ""));
            Files.writeString(dir.resolve("sim.emu"), String.join("\n",
                    "mc_setbmc 0x20",
                    "mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr",
                    "sel_enable 0x20 1000 0x0a",
                    "mc_enable 0x20",
                    ""));
            Daemon d = Daemon.start("ipmi_sim:" + port, dir.resolve("sim.log"), List.of("ipmi_sim", "-n",
                    "-c", dir.resolve("lan.conf").toString(), "-f", dir.resolve("sim.emu").toString(), "-s", dir.resolve("simstate").toString()));
            IpmiSim sim = new IpmiSim(d, port, dir);
            sim.awaitReady(password);
            return sim;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Until ipmitool gets an answer (bounded; fails at once if ipmi_sim exits). */
    private void awaitReady(String password) {
        CommandSpec probe = CommandSpec.of(List.of("ipmitool", "-I", "lanplus", "-C", "3", "-H", "127.0.0.1",
                "-p", String.valueOf(port), "-U", "admin", "-E", "-N", "1", "-R", "1", "chassis", "power", "status"), Duration.ofSeconds(5))
                .withEnvironment("IPMI_PASSWORD", password);
        ProcessCommandRunner runner = new ProcessCommandRunner();
        daemon.await("answer ipmitool on port " + port, () -> runner.run(probe).ok(), Duration.ofSeconds(10));
    }

    public int port() {
        return port;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    /** What the chassis hook was told, one line per command ("power 1", "reset 1", "boot pxe"). */
    public List<String> log() {
        try {
            Path p = dir.resolve("state/log");
            return Files.exists(p) ? Files.readAllLines(p) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootDevice() {
        try {
            Path p = dir.resolve("state/boot");
            return Files.exists(p) ? Files.readString(p).strip() : "default";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        daemon.close();
    }
}
