package io.headnode.orchestrator.service;

import com.google.inject.ImplementedBy;
import java.time.Duration;
import java.util.Optional;

/** Tells the service manager (systemd, {@code Type=notify}) how the service is doing. */
@ImplementedBy(SdNotify.class)
public interface ServiceNotifier {
    /** Sends one notification, e.g. {@code READY=1\nSTATUS=...}; does nothing when not run by a service manager. */
    void notify(String state);

    /** The watchdog timeout the service manager expects pings within ({@code WatchdogSec=}), if it set one. */
    Optional<Duration> watchdog();
}
