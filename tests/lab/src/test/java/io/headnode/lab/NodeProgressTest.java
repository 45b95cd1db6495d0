package io.headnode.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeProgressTest {
    private static final String PXE = "SeaBIOS (version 1.16.2)\r\niPXE 1.0.0\r\nPXELINUX 6.04 PXE 20200816 Copyright (C) 1994-2015\r\n";
    private static final String INSTALLER = "headnode-installer: start\nheadnode-installer: disk written: HEADNODE-DISK-MARKER mac=52:54:00:4c:64:01 vlan100\n";
    private static final String ACCEPTED = "headnode-installer: callback accepted\nheadnode-installer: rebooting\n";
    private static final String DISK = "PXELINUX 6.04 PXE\r\nBooting from local disk...\r\nBooting from Hard Disk..\r\n\r\nHEADNODE-DISK-MARKER mac=52:54:00:4c:64:01 vlan100\r\n";

    @Test
    void followsTheSeedFlowStageByStage() {
        assertThat(NodeProgress.of("")).isEqualTo(NodeProgress.OFF);
        assertThat(NodeProgress.of("SeaBIOS (version 1.16.2)\r\n")).isEqualTo(NodeProgress.FIRMWARE);
        assertThat(NodeProgress.of(PXE)).isEqualTo(NodeProgress.PXELINUX);
        assertThat(NodeProgress.of(PXE + INSTALLER)).isEqualTo(NodeProgress.INSTALLER);
        assertThat(NodeProgress.of(PXE + INSTALLER + ACCEPTED)).isEqualTo(NodeProgress.INSTALLED);
        assertThat(NodeProgress.of(PXE + INSTALLER + ACCEPTED + DISK)).isEqualTo(NodeProgress.BOOTED_FROM_DISK);
    }

    @Test
    void theInstallersOwnMarkerLineIsNotADiskBoot() {
        // the installer logs the marker with a prefix before its callback; only the boot stub's line counts
        assertThat(NodeProgress.of(PXE + INSTALLER)).isNotEqualTo(NodeProgress.BOOTED_FROM_DISK);
        assertThat(NodeProgress.of(PXE + "HEADNODE-DISK-MARKER mac=x\r\n" + INSTALLER + ACCEPTED)).isEqualTo(NodeProgress.INSTALLED);
    }

    @Test
    void theImageProfileRunsFromTheDeployRamdiskToTheNodeImagesLoginPrompt() {
        String deploy = "headnode-deploy: start\nheadnode-deploy: written 393216000 bytes in 21 s\n";
        assertThat(NodeProgress.of(PXE + deploy)).isEqualTo(NodeProgress.INSTALLER);
        String accepted = deploy + "headnode-deploy: callback accepted; install took 120 s\n";
        assertThat(NodeProgress.of(PXE + accepted)).isEqualTo(NodeProgress.INSTALLED);
        assertThat(NodeProgress.of(PXE + accepted + "Debian GNU/Linux 12 node-4c6401 ttyS0\r\n\r\nnode-4c6401 login: "))
                .isEqualTo(NodeProgress.BOOTED_FROM_DISK);
        assertThat(NodeProgress.of(PXE + deploy + "headnode-deploy: FAILED: checksum: sha256 of the written image is 00\n"))
                .isEqualTo(NodeProgress.FAILED);
    }

    @Test
    void aFailedInstallerIsReported() {
        assertThat(NodeProgress.of(PXE + "headnode-installer: start\nheadnode-installer: FAILED: no disk /dev/vda\n"))
                .isEqualTo(NodeProgress.FAILED);
    }

    @Test
    void uefiNodesPassGrubAndTheEspGrubsMarkerMayFollowTerminalEscapes() {
        String grub = "BdsDxe: starting Boot0001 \"UEFI PXEv4 (MAC:5254004C6402)\"\r\n"
                + "headnode: GRUB install config for 52:54:00:4c:64:02 (request r1)\r\n";
        assertThat(NodeProgress.of(grub)).isEqualTo(NodeProgress.GRUB);
        String disk = "headnode: booted from the local disk (ESP GRUB, (hd0,gpt1)/EFI/BOOT)\r\n"
                + "\u001b[0m\u001b[37m\u001b[40mHEADNODE-DISK-MARKER mac=52:54:00:4c:64:02 vlan100\r\n";
        assertThat(NodeProgress.of(grub + INSTALLER + ACCEPTED + disk)).isEqualTo(NodeProgress.BOOTED_FROM_DISK);
        assertThat(NodeProgress.of(grub + INSTALLER + ACCEPTED)).isEqualTo(NodeProgress.INSTALLED);
    }
}
