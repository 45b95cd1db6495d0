package io.headnode.power;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import io.headnode.contract.ShareLayout;
import io.headnode.power.driver.PowerDriver;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PowerModuleTest {
    @TempDir
    Path share;

    @Test
    void bindsTheRoutingServiceAndFourDriversEagerlyWithExplicitBindings() {
        Injector i = Guice.createInjector(Stage.PRODUCTION, new PowerModule(new ShareLayout(share), PowerSettings.defaults()), new AbstractModule() {
            @Override
            protected void configure() {
                binder().requireExplicitBindings();
            }
        });
        assertThat(i.getInstance(PowerService.class)).isInstanceOf(RoutingPowerService.class).isSameAs(i.getInstance(PowerService.class));
        Map<String, PowerDriver> drivers = i.getInstance(Key.get(new TypeLiteral<Map<String, PowerDriver>>() { }));
        assertThat(drivers.keySet()).containsExactlyInAnyOrder("amt", "ipmi", "redfish", "libvirt");
        drivers.forEach((name, d) -> assertThat(d.options().driver()).as("the options %s declares", name).isEqualTo(name).isEqualTo(d.name()));
    }

    @Test
    void aMachineWithoutCredentialsIsRefusedNotCrashed() {
        PowerService p = Fixtures.service(Fixtures.share(share, "", ""), Fixtures.fast());
        PowerOutcome o = p.on(Fixtures.machine(1, "10.0.0.1"));
        assertThat(o.kind()).isEqualTo(PowerOutcome.Kind.REFUSED);
        assertThat(o.detail()).contains("no credentials.conf entry for 10.0.0.1 (amt needs a secret)");
    }
}
