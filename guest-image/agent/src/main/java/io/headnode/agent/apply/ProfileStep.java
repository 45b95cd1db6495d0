package io.headnode.agent.apply;

import io.headnode.agent.AgentConfig;
import io.headnode.agent.install.InstallTemplates;
import io.headnode.agent.render.Templates;
import io.headnode.agent.share.ShareSnapshot;
import io.headnode.contract.AgentStatus.Health;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The share's install-profile must have its pxelinux.vm and kickstart.vm, shipped or the operator's (gates the rest).
 * Its grub.vm (UEFI nodes) is checked apart: without it the {@code grub-template} service names the profile and the
 * missing file, and BIOS installs go on.
 */
public final class ProfileStep implements ApplyStep {
    private final AgentConfig config;
    private final Templates templates;
    private volatile String profile;

    public ProfileStep(AgentConfig config, Templates templates) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.templates = Objects.requireNonNull(templates, "templates is null");
    }

    @Override
    public String name() {
        return "install-profile";
    }

    @Override
    public boolean gates() {
        return true;
    }

    @Override
    public StepResult apply(ShareSnapshot share) {
        String want = share.config().installProfile();
        for (String t : List.of("profiles/" + want + "/pxelinux.vm", "profiles/" + want + "/kickstart.vm")) {
            if (!templates.exists(t)) {
                return new StepResult.Failed("headnode.conf: install-profile: '" + want + "' has no template " + t
                        + " (shipped or under " + config.templatesDir() + ")");
            }
        }
        if (want.equals(profile)) {
            return StepResult.UNCHANGED;
        }
        profile = want;
        return StepResult.of(List.of("profile " + want));
    }

    /** Checked on every status (an operator may add the template later; it needs no new share). */
    private Health grubHealth(String p) {
        String grubTemplate = InstallTemplates.grubTemplate(p);
        return templates.exists(grubTemplate) ? Health.ok("profile " + p + ": " + grubTemplate)
                : Health.failed("install-profile '" + p + "' has no template " + grubTemplate + " (shipped or under "
                        + config.templatesDir() + "): UEFI nodes get no install config; BIOS installs work");
    }

    @Override
    public Map<String, Health> health() {
        String p = profile;
        Map<String, Health> out = new LinkedHashMap<>();
        out.put("install-profile", p == null ? Health.pending("no share applied yet") : Health.ok("profile " + p));
        out.put("grub-template", p == null ? Health.pending("no share applied yet") : grubHealth(p));
        return out;
    }
}
