package io.headnode.orchestrator.reconcile.action;

import io.headnode.orchestrator.apparmor.AppArmorRule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/** {@code text} (the file with exactly one managed share-rule block) written to {@code target}, validated, rolled back if rejected. */
public record WriteAppArmorRule(AppArmorRule rule, Path target, String text) implements Action {
    public WriteAppArmorRule {
        Objects.requireNonNull(rule, "rule is null");
        Objects.requireNonNull(target, "target is null");
        Objects.requireNonNull(text, "text is null");
    }

    @Override
    public String describe() {
        return "write the share rule into " + target;
    }

    @Override
    public void apply() throws IOException {
        rule.write(target, text);
    }
}
