package io.headnode.orchestrator.reconcile.action;

import java.io.IOException;

/**
 * One change a reconcile step found necessary: a value (a record naming what to change, and the adapter it changes
 * it through) with the line a plan shows and the code that makes it. A step compares desired with actual state and
 * returns actions without changing anything; the {@link io.headnode.orchestrator.reconcile.Reconciler} prints them
 * for {@code --dry-run} or applies them, so a dry run and a real run cannot disagree. A new kind of change is a new
 * record here.
 */
public sealed interface Action permits CreateBridge, SetLinkUp, CreateVlanLink, AddPort, DeleteLink,
        CreateDirectory, MakeReadable, MakeFileReadable, WriteDefaultConfig, WriteInstallKey, DeleteTree, WriteAppArmorRule, CreateOverlay, RemoveOverlay,
        DefineDomain, RedefineDomain, SetAutostart, StartDomain, RestartDomain, ResumeDomain, StopDomain, UndefineDomain,
        ForgetSpec {
    /** What it changes, as one line of a plan ("create bridge br-vlan100"). */
    String describe();

    /** Makes the change. */
    void apply() throws IOException;
}
