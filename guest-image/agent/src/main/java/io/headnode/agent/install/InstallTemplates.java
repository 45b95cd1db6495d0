package io.headnode.agent.install;

import io.headnode.agent.render.Templates;
import io.headnode.agent.tftp.PxeConfigs;
import io.headnode.contract.ImageCatalog;
import io.headnode.contract.ImageName;
import io.headnode.contract.MacAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Renders an install's files from the profile's templates: the per-MAC pxelinux config (BIOS), the per-MAC GRUB
 * config (UEFI) and the kickstart. The profile is the node's ({@link InstallSite#profile(NodeInstall)}): `image` for an
 * image install, else headnode.conf's install-profile.
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
        String profile = site.profile(node);
        return templates.render("profiles/" + profile + "/pxelinux.vm", Map.of(
                "marker", PxeConfigs.MARKER, "mac", MacAddress.parse(node.mac()), "server", site.serverIp(), "httpPort", httpPort,
                "request", node.requestId(), "profile", profile));
    }

    /** {@code profiles/<profile>/grub.vm}: the same for GRUB (UEFI nodes); starts with {@link PxeConfigs#MARKER}. */
    public String grubConfig(InstallSite site, NodeInstall node) {
        String profile = site.profile(node);
        return templates.render(grubTemplate(profile), Map.of(
                "marker", PxeConfigs.MARKER, "mac", MacAddress.parse(node.mac()), "server", site.serverIp(), "httpPort", httpPort,
                "request", node.requestId(), "profile", profile));
    }

    public boolean hasGrubConfig(InstallSite site) {
        return templates.exists(grubTemplate(site.profile()));
    }

    public boolean hasGrubConfig(InstallSite site, NodeInstall node) {
        return templates.exists(grubTemplate(site.profile(node)));
    }

    /** The GRUB template's name for a profile. */
    public static String grubTemplate(String profile) {
        return "profiles/" + profile + "/grub.vm";
    }

    /**
     * {@code profiles/<profile>/kickstart.vm}: carries the install's token and the callback URL; for an image install
     * also the image (URL, sha256, size), the target disk, the first-boot report URL and token, the hostname and the
     * admin's ssh public keys.
     */
    public String kickstart(InstallSite site, NodeInstall node, String address) {
        MacAddress mac = MacAddress.parse(node.mac());
        String base = "http://" + site.serverIp() + ":" + httpPort;
        Map<String, Object> v = new HashMap<>(Map.of(
                "mac", mac, "address", address, "server", site.serverIp(), "httpPort", httpPort,
                "vlan", site.snapshot().config().vlan(), "token", node.token(), "profile", site.profile(node),
                "callbackUrl", base + "/boot-default/" + mac.pxelinuxConfigName()));
        if (node.image() != null) {
            ImageDeploy image = node.image();
            v.put("imageUrl", base + ImageCatalog.urlPath(ImageName.parse(image.name()), Optional.empty()));
            v.put("imageSha256", image.sha256());
            v.put("imageSize", image.size());
            v.put("disk", image.disk() == null ? "" : image.disk());
            v.put("reportUrl", base + "/report/" + mac.pxelinuxConfigName());
            v.put("reportToken", node.reportToken());
            v.put("hostname", hostname(mac));
            v.put("sshKeys", site.snapshot().authorizedKeys().map(k -> k.entries().stream().map(e -> e.line()).toList()).orElse(List.of()));
        }
        return templates.render("profiles/" + site.profile(node) + "/kickstart.vm", v);
    }

    /** A node's hostname: {@code node-} and its MAC's last three bytes ({@code node-4c6401}). */
    static String hostname(MacAddress mac) {
        String hex = mac.value().replace(":", "");
        return "node-" + hex.substring(6);
    }
}
