package io.headnode.common.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.common.libvirt.HypervisorException.Kind;
import org.junit.jupiter.api.Test;

class BootDeviceXmlTest {
    private static final String TWO_BOOTS = """
            <domain type='qemu'><name>n1</name><os><type>hvm</type><boot dev='hd'/><boot dev='cdrom'/></os>
            <devices><disk type='file' device='disk'><target dev='vda'/></disk></devices></domain>""";

    @Test
    void theBootDeviceReplacesEveryOsBootElement() {
        String xml = BootDeviceXml.withBootDevice(TWO_BOOTS, BootDevice.NETWORK, "n1");
        assertThat(xml).contains("<boot dev=\"network\"/>").doesNotContain("hd\"/>").doesNotContain("cdrom")
                .contains("<target dev=\"vda\"/>").doesNotStartWith("<?xml");
        assertThat(BootDeviceXml.withBootDevice(xml, BootDevice.HD, "n1")).contains("<boot dev=\"hd\"/>").doesNotContain("network");
    }

    @Test
    void perDeviceBootOrderIsRefused() {
        String xml = "<domain><name>n1</name><os><type>hvm</type></os><devices><disk><boot order='1'/></disk></devices></domain>";
        assertThatThrownBy(() -> BootDeviceXml.withBootDevice(xml, BootDevice.NETWORK, "n1"))
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED))
                .hasMessageContaining("domain n1 orders boot per device");
    }

    @Test
    void noOsElementIsRefused() {
        assertThatThrownBy(() -> BootDeviceXml.withBootDevice("<domain><name>n1</name></domain>", BootDevice.HD, "n1"))
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED))
                .hasMessageContaining("no <os> element");
    }

    @Test
    void aDoctypeIsNotParsed() {
        String xml = "<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domain><os>&x;</os></domain>";
        assertThatThrownBy(() -> BootDeviceXml.withBootDevice(xml, BootDevice.HD, "n1"))
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.kind()).isEqualTo(Kind.BAD_XML));
    }
}
