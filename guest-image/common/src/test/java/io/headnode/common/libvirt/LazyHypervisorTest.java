package io.headnode.common.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LazyHypervisorTest {
    /** A connection whose lookups fail with {@code kind} (null: answer empty); records close(). */
    private static Hypervisor connection(HypervisorException.Kind kind, List<String> events, int n) {
        return (Hypervisor) Proxy.newProxyInstance(Hypervisor.class.getClassLoader(), new Class<?>[] {Hypervisor.class}, (p, m, a) -> {
            switch (m.getName()) {
                case "close" -> {
                    events.add("close " + n);
                    return null;
                }
                case "lookup" -> {
                    if (kind != null) {
                        throw new HypervisorException(kind, "connection " + n + " failed", null);
                    }
                    return Optional.empty();
                }
                default -> throw new UnsupportedOperationException(m.getName());
            }
        });
    }

    @Test
    void aLostConnectionIsDroppedAndTheNextCallConnectsAgain() {
        List<String> events = new ArrayList<>();
        int[] connects = {0};
        LazyHypervisor h = new LazyHypervisor("qemu:///system", uri -> {
            connects[0]++;
            events.add("connect " + connects[0]);
            return connection(connects[0] == 1 ? HypervisorException.Kind.CANNOT_CONNECT : null, events, connects[0]);
        });
        assertThatThrownBy(() -> h.lookup("x")).isInstanceOf(HypervisorException.class);
        assertThat(h.lookup("x")).isEmpty();
        assertThat(h.lookup("y")).isEmpty();
        assertThat(events).containsExactly("connect 1", "close 1", "connect 2");
    }

    @Test
    void otherErrorsKeepTheConnection() {
        List<String> events = new ArrayList<>();
        LazyHypervisor h = new LazyHypervisor("qemu:///system", uri -> {
            events.add("connect");
            return connection(HypervisorException.Kind.NO_DOMAIN, events, 1);
        });
        assertThatThrownBy(() -> h.lookup("x")).isInstanceOf(HypervisorException.class);
        assertThatThrownBy(() -> h.lookup("x")).isInstanceOf(HypervisorException.class);
        assertThat(events).containsExactly("connect");
    }

    @Test
    void aPoolConnectsEachUriOnceOnFirstUseAndClosesThemAll() {
        List<String> events = new ArrayList<>();
        int[] n = {0};
        HypervisorPool pool = new HypervisorPool(uri -> {
            events.add("connect " + uri);
            return connection(null, events, ++n[0]);
        });
        Hypervisor a = pool.at("qemu+ssh://a/system");
        assertThat(events).as("nothing opened before a call").isEmpty();
        a.lookup("x");
        pool.at("qemu+ssh://a/system").lookup("y");
        pool.at("qemu+ssh://b/system").lookup("x");
        pool.close();
        assertThat(events.subList(0, 2)).containsExactly("connect qemu+ssh://a/system", "connect qemu+ssh://b/system");
        assertThat(events.subList(2, events.size())).containsExactlyInAnyOrder("close 1", "close 2");
    }
}
