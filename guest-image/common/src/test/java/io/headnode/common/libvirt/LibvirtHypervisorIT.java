package io.headnode.common.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.common.libvirt.HypervisorException.Kind;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wrapper against libvirt's in-memory test driver (test:///default: no daemon; shared by every connection in this JVM). */
class LibvirtHypervisorIT {
    private static final String NAME = "hn-common-it";
    @TempDir
    Path tmp;
    private LibvirtHypervisor libvirt;

    private static String xml(String name, String uuid) {
        return "<domain type='test'><name>" + name + "</name><uuid>" + uuid + "</uuid><memory>65536</memory>"
                + "<os><type>hvm</type><boot dev='hd'/></os></domain>";
    }

    @BeforeEach
    void connect() {
        libvirt = LibvirtHypervisor.connect("test:///default");
    }

    @AfterEach
    void cleanUp() {
        if (libvirt.lookup(NAME).isPresent()) {
            libvirt.destroy(NAME);
            libvirt.undefine(NAME);
        }
        libvirt.close();
    }

    @Test
    void theLibraryIsProbed() {
        assertThat(LibvirtHypervisor.probeLibrary()).as("major*1000000+minor*1000+micro").isGreaterThan(1_000_000L);
    }

    @Test
    void defineReturnsTheDefinedDomainAndLookupFindsIt() {
        String uuid = UUID.randomUUID().toString();
        DomainStatus defined = libvirt.define(xml(NAME, uuid));
        assertThat(defined.name()).isEqualTo(NAME);
        assertThat(defined.uuid()).isEqualTo(uuid);
        assertThat(defined.state()).isEqualTo(RunState.SHUTOFF);
        assertThat(defined.persistent()).isTrue();
        assertThat(defined.autostart()).isFalse();
        assertThat(defined.inactiveXml()).contains("<name>" + NAME + "</name>");
        assertThat(libvirt.lookup(NAME)).contains(defined);
        assertThat(libvirt.domainNames()).contains(NAME, "test");
        assertThat(libvirt.inactiveXmlByName()).containsKeys(NAME, "test").hasEntrySatisfying(NAME,
                x -> assertThat(x).contains("<uuid>" + uuid + "</uuid>"));
    }

    @Test
    void startResetDestroyAndUndefine() {
        libvirt.define(xml(NAME, UUID.randomUUID().toString()));
        assertThat(libvirt.runningDomainNames()).as("defined, not started").doesNotContain(NAME);
        libvirt.start(NAME);
        assertThat(libvirt.state(NAME)).isEqualTo(RunState.RUNNING);
        assertThat(libvirt.runningDomainNames()).contains(NAME);
        libvirt.reset(NAME);
        assertThat(libvirt.state(NAME)).isEqualTo(RunState.RUNNING);
        libvirt.destroy(NAME);
        assertThat(libvirt.state(NAME)).isEqualTo(RunState.SHUTOFF);
        assertThat(libvirt.runningDomainNames()).doesNotContain(NAME);
        libvirt.destroy(NAME);   // not running: left alone
        assertThatThrownBy(() -> libvirt.reset(NAME)).as("reset of a shut-off domain")
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_STATE));
        libvirt.undefine(NAME);
        assertThat(libvirt.lookup(NAME)).isEmpty();
        libvirt.undefine(NAME);   // missing: not an error
    }

    @Test
    void autostartAndBootDeviceAreKeptInTheDefinition() {
        libvirt.define(xml(NAME, UUID.randomUUID().toString()));
        libvirt.setAutostart(NAME, true);
        libvirt.setBootDevice(NAME, BootDevice.NETWORK);
        DomainStatus d = libvirt.lookup(NAME).orElseThrow();
        assertThat(d.autostart()).isTrue();
        assertThat(d.inactiveXml()).contains("<boot dev='network'/>").doesNotContain("<boot dev='hd'/>");
        libvirt.setBootDevice(NAME, BootDevice.HD);
        assertThat(libvirt.lookup(NAME).orElseThrow().inactiveXml()).contains("<boot dev='hd'/>").doesNotContain("network");
    }

    @Test
    void aMissingDomainIsNoDomain() {
        assertThat(libvirt.lookup("no-such-domain")).isEmpty();
        for (Runnable op : new Runnable[] {() -> libvirt.state("no-such-domain"), () -> libvirt.start("no-such-domain"),
                () -> libvirt.destroy("no-such-domain"), () -> libvirt.reset("no-such-domain"),
                () -> libvirt.setBootDevice("no-such-domain", BootDevice.NETWORK)}) {
            assertThatThrownBy(op::run).isInstanceOfSatisfying(HypervisorException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.NO_DOMAIN);
                assertThat(e.getMessage()).contains("domain no-such-domain").endsWith("[VIR_ERR_NO_DOMAIN]");
            });
        }
    }

    @Test
    void badXmlIsBadXml() {
        assertThatThrownBy(() -> libvirt.define("<domain type='test'><name>x</name>"))
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.kind()).isEqualTo(Kind.BAD_XML));
    }

    @Test
    void noDaemonIsCannotConnect() {
        String uri = "qemu:///system?socket=" + tmp.resolve("no-libvirtd.sock");
        assertThatThrownBy(() -> LibvirtHypervisor.connect(uri)).isInstanceOfSatisfying(HypervisorException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.CANNOT_CONNECT);
            assertThat(e.getMessage()).startsWith("cannot connect to libvirt at " + uri).endsWith("(is libvirtd running?)");
        });
        LazyHypervisor lazy = new LazyHypervisor(uri);
        assertThat(lazy.uri()).as("nothing connects before the first call").isEqualTo(uri);
        assertThatThrownBy(() -> lazy.lookup(NAME)).isInstanceOfSatisfying(HypervisorException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.CANNOT_CONNECT));
    }

    @Test
    void aPoolKeepsOneLazyConnectionPerUri() {
        try (HypervisorPool pool = new HypervisorPool()) {
            assertThat(pool.at("test:///default")).isSameAs(pool.at("test:///default"));
            assertThat(pool.at("test:///default").state("test")).isEqualTo(RunState.RUNNING);
        }
    }

    @Test
    void aClosedConnectionSaysSo() {
        libvirt.close();
        assertThatThrownBy(() -> libvirt.lookup(NAME)).isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.kind()).isEqualTo(HypervisorException.Kind.CANNOT_CONNECT)).hasMessageContaining("is closed");
        libvirt = LibvirtHypervisor.connect("test:///default");
    }
}
