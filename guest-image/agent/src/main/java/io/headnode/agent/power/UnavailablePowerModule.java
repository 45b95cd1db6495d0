package io.headnode.agent.power;

import com.google.inject.AbstractModule;
import io.headnode.power.PowerService;

/** Binds {@link UnavailablePowerService}; replaced by io.headnode.power.PowerModule in {@link PowerPlug}. */
final class UnavailablePowerModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(PowerService.class).to(UnavailablePowerService.class);
    }
}
