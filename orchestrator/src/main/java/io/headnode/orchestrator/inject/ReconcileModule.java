package io.headnode.orchestrator.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.name.Named;
import io.headnode.orchestrator.reconcile.AppArmorStep;
import io.headnode.orchestrator.reconcile.AutostartStep;
import io.headnode.orchestrator.reconcile.DiskStep;
import io.headnode.orchestrator.reconcile.DomainStep;
import io.headnode.orchestrator.reconcile.NetworkStep;
import io.headnode.orchestrator.reconcile.ReconcileObserver;
import io.headnode.orchestrator.reconcile.ReconcileObservers;
import io.headnode.orchestrator.reconcile.RemoveDiskStep;
import io.headnode.orchestrator.reconcile.RemoveDomainStep;
import io.headnode.orchestrator.reconcile.RemoveNetworkStep;
import io.headnode.orchestrator.reconcile.RemoveShareStep;
import io.headnode.orchestrator.reconcile.RunningStep;
import io.headnode.orchestrator.reconcile.ShareStep;
import io.headnode.orchestrator.reconcile.Step;
import java.util.List;

/** Binds the two pipelines, in the order the steps must run. */
public final class ReconcileModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(ReconcileObserver.class).to(ReconcileObservers.class);   // the service adds its metrics
    }

    @Provides
    @Named("create")
    List<Step> createSteps(NetworkStep network, ShareStep share, AppArmorStep apparmor, DiskStep disk, DomainStep domain,
                           AutostartStep autostart, RunningStep running) {
        return List.of(network, share, apparmor, disk, domain, autostart, running);
    }

    @Provides
    @Named("delete")
    List<Step> deleteSteps(RemoveDomainStep domain, RemoveDiskStep disk, RemoveNetworkStep network, RemoveShareStep share) {
        return List.of(domain, disk, network, share);
    }
}
