package io.headnode.agent.install;

import io.headnode.agent.render.Templates;
import io.headnode.agent.tftp.PxeConfigs;
import io.headnode.contract.MacAddress;
import java.util.Map;
import java.util.Objects;

/**
 * Renders an install's files from the profile's templates: the per-MAC pxelinux config (BIOS), the per-MAC GRUB
 * config (UEFI) and the kickstart.
 */
public final class InstallTemplates {
    private final Templates templates;
    private final int httpPort;

    public InstallTemplates(Templates templates, int httpPort) {
        this.templates = Objects.requireNonNull(templates, "templates is null");
        this.httpPort = httpPort;
    }

    /** {@code profiles/<profile>/pxelinux.vm}: boots the installer with the kickstart URL; starts with {@link PxeConfigs#MARKER}. */
    public String pxeConfig(InstallSite site, NodeInstall node) {
        return templates.render("profiles/" + site.profile() + "/pxelinux.vm", Map.of(
                "marker", PxeConfigs.MARKER, "mac", MacAddress.parse(node.mac()), "server", site.serverIp(), "httpPort", httpPort,
                "request", node.requestId(), "profile", site.profile()));
    }

    /** {@code profiles/<profile>/grub.vm}: the same for GRUB (UEFI nodes); starts with {@link PxeConfigs#MARKER}. */
    public String grubConfig(InstallSite site, NodeInstall node) {
        return templates.render(grubTemplate(site.profile()), Map.of(
                "marker", PxeConfigs.MARKER, "mac", MacAddress.parse(node.mac()), "server", site.serverIp(), "httpPort", httpPort,
                "request", node.requestId(), "profile", site.profile()));
    }

    public boolean hasGrubConfig(InstallSite site) {
        return templates.exists(grubTemplate(site.profile()));
    }

    /** The GRUB template's name for a profile. */
    public static String grubTemplate(String profile) {
        return "profiles/" + profile + "/grub.vm";
    }

    /** {@code profiles/<profile>/kickstart.vm}: carries the install's token and the callback URL. */
    public String kickstart(InstallSite site, NodeInstall node, String address) {
        MacAddress mac = MacAddress.parse(node.mac());
        return templates.render("profiles/" + site.profile() + "/kickstart.vm", Map.of(
                "mac", mac, "address", address, "server", site.serverIp(), "httpPort", httpPort,
                "vlan", site.snapshot().config().vlan(), "token", node.token(), "profile", site.profile(),
                "callbackUrl", "http://" + site.serverIp() + ":" + httpPort + "/boot-default/" + mac.pxelinuxConfigName()));
    }
}
