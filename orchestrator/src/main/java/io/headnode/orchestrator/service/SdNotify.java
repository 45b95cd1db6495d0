package io.headnode.orchestrator.service;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.LongByReference;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ServiceNotifier} on libsystemd's own {@code sd_notify(3)} and {@code sd_watchdog_enabled(3)}, called through
 * JNA (libsystemd0 is part of every Debian system): they read {@code $NOTIFY_SOCKET}, {@code $WATCHDOG_USEC} and
 * {@code $WATCHDOG_PID} and send the datagram. Without {@code $NOTIFY_SOCKET} nothing is loaded or sent.
 */
public final class SdNotify implements ServiceNotifier {
    private static final Logger log = LoggerFactory.getLogger(SdNotify.class);
    private final LibSystemd lib;

    /** The part of libsystemd used here. */
    interface LibSystemd extends Library {
        int sd_notify(int unsetEnvironment, String state);

        int sd_watchdog_enabled(int unsetEnvironment, LongByReference usec);
    }

    public SdNotify() {
        this(System.getenv("NOTIFY_SOCKET") != null);
    }

    SdNotify(boolean managed) {
        LibSystemd l = null;
        if (managed) {
            try {
                l = Native.load("libsystemd.so.0", LibSystemd.class);
            } catch (UnsatisfiedLinkError e) {
                log.warn("NOTIFY_SOCKET is set but libsystemd.so.0 cannot be loaded (apt-get install libsystemd0): {}", e.getMessage());
            }
        }
        this.lib = l;
    }

    @Override
    public void notify(String state) {
        if (lib == null) {
            return;
        }
        int r = lib.sd_notify(0, state);
        if (r < 0) {
            log.warn("sd_notify failed with errno {}: {}", -r, state.replace('\n', ' '));
        }
    }

    @Override
    public Optional<Duration> watchdog() {
        if (lib == null) {
            return Optional.empty();
        }
        LongByReference usec = new LongByReference();
        int r = lib.sd_watchdog_enabled(0, usec);
        if (r < 0) {
            log.warn("bad watchdog settings from the service manager (errno {}): watchdog off", -r);
        }
        return r > 0 ? Optional.of(Duration.ofNanos(usec.getValue() * 1000)) : Optional.empty();
    }
}
