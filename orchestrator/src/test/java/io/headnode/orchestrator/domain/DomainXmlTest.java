package io.headnode.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Drift is judged on normalized fields: libvirt's rewrite of our XML must compare equal to it. */
class DomainXmlTest {
    static final String OURS = """
            <domain type='qemu'>
              <name>headnode-vlan100</name>
              <uuid>D6DB432D-A6C2-310A-80CF-D28D28FA51A0</uuid>
              <memory unit='MiB'>1024</memory>
              <vcpu placement='static'>1</vcpu>
              <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/><bios useserial='yes'/></os>
              <features><acpi/></features>
              <devices>
                <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/s/disks/headnode-vlan100.qcow2'/><target dev='vda' bus='virtio'/></disk>
                <interface type='bridge'><mac address='02:48:4E:00:00:64'/><source bridge='br-vlan100'/><model type='virtio'/>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/></interface>
                <interface type='bridge'><mac address='02:48:4e:01:00:64'/><source bridge='br0'/><model type='virtio'/>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/></interface>
                <filesystem type='mount' accessmode='mapped'><source dir='/share/100'/><target dir='/etc/moc'/><readonly/></filesystem>
                <serial type='pty'><log file='/s/console/headnode-vlan100.log' append='on'/><target port='0'/></serial>
                <channel type='unix'><source mode='bind' path='/s/run/vlan100.status'/><target type='virtio' name='io.headnode.status'/></channel>
              </devices>
            </domain>
            """;

    /** What libvirt 9 hands back for OURS (inactive XML): units in KiB, defaults, addresses, seclabels, reordered NICs. */
    static final String LIBVIRTS = """
            <domain type='qemu'>
              <name>headnode-vlan100</name>
              <uuid>d6db432d-a6c2-310a-80cf-d28d28fa51a0</uuid>
              <description>whatever</description>
              <memory unit='KiB'>1048576</memory>
              <currentMemory unit='KiB'>1048576</currentMemory>
              <vcpu placement='static'>1</vcpu>
              <os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type><boot dev='hd'/><bios useserial='yes'/></os>
              <features><acpi/></features>
              <cpu mode='custom' match='exact' check='none'><model fallback='forbid'>qemu64</model></cpu>
              <clock offset='utc'/>
              <devices>
                <emulator>/usr/bin/qemu-system-x86_64</emulator>
                <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/s/disks/headnode-vlan100.qcow2'/>
                  <target dev='vda' bus='virtio'/><address type='pci' domain='0x0000' bus='0x00' slot='0x06' function='0x0'/></disk>
                <disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>
                <controller type='usb' index='0' model='piix3-uhci'/>
                <filesystem type='mount' accessmode='mapped'><source dir='/share/100'/><target dir='/etc/moc'/><readonly/>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/></filesystem>
                <interface type='bridge'><mac address='02:48:4e:01:00:64'/><source bridge='br0'/><model type='virtio'/>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/></interface>
                <interface type='bridge'><mac address='02:48:4e:00:00:64'/><source bridge='br-vlan100'/><target dev='vnet0'/><model type='virtio'/>
                  <alias name='net0'/><address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/></interface>
                <serial type='pty'><log file='/s/console/headnode-vlan100.log' append='on'/><target type='isa-serial' port='0'><model name='isa-serial'/></target></serial>
                <console type='pty'><target type='serial' port='0'/></console>
                <channel type='unix'><source mode='bind' path='/s/run/vlan100.status'/><target type='virtio' name='io.headnode.status'/>
                  <address type='virtio-serial' controller='0' bus='0' port='1'/></channel>
                <memballoon model='none'/>
              </devices>
              <seclabel type='dynamic' model='dac' relabel='yes'/>
            </domain>
            """;

    @Test
    void libvirtsRewriteIsNotDrift() {
        assertThat(DomainXml.parse(OURS).differencesFrom(DomainXml.parse(LIBVIRTS))).isEmpty();
    }

    @Test
    void realChangesAreDriftAndNamed() {
        DomainShape desired = DomainXml.parse(OURS);
        DomainShape changed = DomainXml.parse(LIBVIRTS.replace("1048576</memory>", "524288</memory>")
                .replace("<source bridge='br0'/>", "<source bridge='virbr0'/>").replace("<readonly/>\n", "\n"));
        assertThat(desired.differencesFrom(changed)).hasSize(3)
                .anySatisfy(d -> assertThat(d).startsWith("memory (KiB): 524288 -> 1048576"))
                .anySatisfy(d -> assertThat(d).startsWith("nics:").contains("virbr0"))
                .anySatisfy(d -> assertThat(d).startsWith("shares:"));
    }

    @Test
    void aNicsOptionRomIsPartOfItsShape() {
        String off = OURS.replace("<model type='virtio'/>", "<model type='virtio'/><rom enabled='no'/>");
        assertThat(DomainXml.parse(off).nics()).extracting(DomainShape.Nic::rom).containsExactly(false, false);
        assertThat(DomainXml.parse(OURS).nics()).extracting(DomainShape.Nic::rom).containsExactly(true, true);
        // a head node defined before the ROMs were turned off is drift: redefined without them
        assertThat(DomainXml.parse(off).differencesFrom(DomainXml.parse(LIBVIRTS))).singleElement().asString().startsWith("nics:");
    }

    @Test
    void bridgesOfADomain() {
        assertThat(DomainXml.parse(LIBVIRTS).bridges()).containsExactly("br-vlan100", "br0");
    }
}
