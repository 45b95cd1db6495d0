package io.headnode.orchestrator.reconcile;

import io.headnode.orchestrator.apparmor.AppArmorRule;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/** Step 3: the share rule reaches the libvirt-qemu AppArmor abstraction. */
public final class AppArmorStep implements Step {
    private final AppArmorRule rule;

    @Inject
    public AppArmorStep(AppArmorRule rule) {
        this.rule = Objects.requireNonNull(rule, "rule is null");
    }

    @Override
    public String name() {
        return "apparmor";
    }

    @Override
    public StepResult apply(StepContext ctx) throws IOException {
        List<String> changes = rule.ensure(ctx.dryRun());
        if (changes.size() == 1 && changes.get(0).startsWith("skipped: ")) {
            return StepResult.skipped(name(), changes.get(0).substring("skipped: ".length()));
        }
        return StepResult.of(name(), ctx.dryRun(), changes);
    }
}
