package io.headnode.orchestrator;

import io.headnode.orchestrator.domain.DomainShape;
import io.headnode.orchestrator.domain.DomainXml;
import io.headnode.common.libvirt.BootDevice;
import io.headnode.common.libvirt.DomainStatus;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.common.libvirt.HypervisorException;
import io.headnode.common.libvirt.RunState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory Hypervisor with libvirt's rules as far as the steps rely on them; records every change. */
public final class FakeHypervisor implements Hypervisor {
    private final Map<String, DomainStatus> domains = new LinkedHashMap<>();
    public final List<String> changes = new ArrayList<>();

    /** Puts a domain as it would be found. */
    public synchronized FakeHypervisor with(DomainStatus d) {
        domains.put(d.name(), d);
        return this;
    }

    @Override
    public synchronized Optional<DomainStatus> lookup(String name) {
        return Optional.ofNullable(domains.get(name));
    }

    @Override
    public synchronized DomainStatus define(String xml) {
        DomainShape s = DomainXml.parse(xml);
        DomainStatus old = domains.get(s.name());
        if (old != null && !old.uuid().equalsIgnoreCase(s.uuid())) {
            throw new HypervisorException(HypervisorException.Kind.OTHER, "domain " + s.name() + " already exists with uuid " + old.uuid(), null);
        }
        changes.add("define " + s.name());
        // a definition keeps the run state and the autostart flag
        DomainStatus defined = new DomainStatus(s.name(), s.uuid(), old == null ? RunState.SHUTOFF : old.state(),
                old != null && old.autostart(), true, xml);
        domains.put(s.name(), defined);
        return defined;
    }

    @Override
    public synchronized RunState state(String name) {
        return existing(name).state();
    }

    @Override
    public synchronized void start(String name) {
        DomainStatus d = existing(name);
        if (d.state() != RunState.SHUTOFF) {
            throw new HypervisorException(HypervisorException.Kind.INVALID_STATE, "domain is already running", null);
        }
        changes.add("start " + name);
        domains.put(name, withState(d, RunState.RUNNING));
    }

    @Override
    public synchronized void destroy(String name) {
        DomainStatus d = domains.get(name);
        if (d == null || d.state() == RunState.SHUTOFF) {
            return;
        }
        changes.add("destroy " + name);
        if (d.persistent()) {
            domains.put(name, withState(d, RunState.SHUTOFF));
        } else {
            domains.remove(name);
        }
    }

    @Override
    public synchronized void reset(String name) {
        if (existing(name).state() != RunState.RUNNING) {
            throw new HypervisorException(HypervisorException.Kind.INVALID_STATE, "domain is not running", null);
        }
        changes.add("reset " + name);
    }

    @Override
    public synchronized void setBootDevice(String name, BootDevice device) {
        existing(name);
        throw new UnsupportedOperationException("no step changes the boot device");
    }

    @Override
    public synchronized void resume(String name) {
        changes.add("resume " + name);
        domains.put(name, withState(existing(name), RunState.RUNNING));
    }

    @Override
    public synchronized void undefine(String name) {
        DomainStatus d = domains.get(name);
        if (d == null) {
            return;
        }
        changes.add("undefine " + name);
        if (d.state() == RunState.SHUTOFF) {
            domains.remove(name);
        } else {
            domains.put(name, new DomainStatus(name, d.uuid(), d.state(), false, false, d.inactiveXml()));
        }
    }

    @Override
    public synchronized void setAutostart(String name, boolean autostart) {
        DomainStatus d = existing(name);
        changes.add("autostart " + name);
        domains.put(name, new DomainStatus(name, d.uuid(), d.state(), autostart, d.persistent(), d.inactiveXml()));
    }

    @Override
    public synchronized List<String> domainNames() {
        return List.copyOf(domains.keySet());
    }

    @Override
    public synchronized List<String> runningDomainNames() {
        return domains.values().stream().filter(d -> d.state() == RunState.RUNNING).map(DomainStatus::name).toList();
    }

    @Override
    public synchronized Map<String, String> inactiveXmlByName() {
        Map<String, String> xml = new LinkedHashMap<>();
        domains.forEach((name, d) -> xml.put(name, d.inactiveXml()));
        return xml;
    }

    @Override
    public String uri() {
        return "fake:///";
    }

    @Override
    public void close() {
    }

    private DomainStatus existing(String name) {
        DomainStatus d = domains.get(name);
        if (d == null) {
            throw new HypervisorException(HypervisorException.Kind.NO_DOMAIN, "no domain " + name, null);
        }
        return d;
    }

    private static DomainStatus withState(DomainStatus d, RunState state) {
        return new DomainStatus(d.name(), d.uuid(), state, d.autostart(), d.persistent(), d.inactiveXml());
    }
}
