package io.headnode.orchestrator.reconcile;

import io.headnode.orchestrator.apparmor.AppArmorRule;
import io.headnode.orchestrator.reconcile.action.WriteAppArmorRule;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Step 3: the share rule reaches the libvirt-qemu AppArmor abstraction (skipped where the host has none). */
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
    public Plan plan(StepContext ctx) throws IOException {
        Optional<Path> target = rule.target();
        if (target.isEmpty()) {
            return Plan.skip("no " + rule.abstraction());
        }
        String before = rule.read(target.get());
        String after = rule.withRule(before);
        return after.equals(before) ? Plan.none() : Plan.of(new WriteAppArmorRule(rule, target.get(), after));
    }
}
