package io.headnode.contract;

import io.headnode.common.kv.FieldException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One entry of credentials.conf: which node(s) it applies to, the power driver (absent: the head node's
 * default), user, secret and the driver's options (free names here; each driver declares the ones it accepts in
 * its {@link DriverOptions}). {@link #toString()} never shows the secret.
 */
public record BmcCredentials(Key key, Optional<String> driver, Optional<String> user, Optional<Secret> secret,
                             Map<String, String> options) {
    /** What an entry is keyed by: a node's MAC, its BMC address, or {@code *} for every node without its own entry. */
    public sealed interface Key permits MacKey, BmcKey, AnyKey {
        static Key parse(String text) {
            if (text.equals("*")) {
                return new AnyKey();
            }
            try {
                return new MacKey(MacAddress.parse(text));
            } catch (IllegalArgumentException notMac) {
                try {
                    return new BmcKey(BmcAddress.parse(text));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'" + MacAddress.printable(text) + "' is neither a MAC address, a BMC address nor *");
                }
            }
        }
    }

    public record MacKey(MacAddress mac) implements Key {
        @Override
        public String toString() {
            return mac.toString();
        }
    }

    public record BmcKey(BmcAddress bmc) implements Key {
        @Override
        public String toString() {
            return bmc.toString();
        }
    }

    public record AnyKey() implements Key {
        @Override
        public String toString() {
            return "*";
        }
    }

    public BmcCredentials {
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(driver, "driver is null");
        Objects.requireNonNull(user, "user is null");
        Objects.requireNonNull(secret, "secret is null");
        options = java.util.Collections.unmodifiableMap(new TreeMap<>(options));
        driver.ifPresent(d -> {
            if (!DriverOptions.isDriverName(d)) {
                throw new FieldException("driver", "'" + MacAddress.printable(d) + "' is not a driver name");
            }
        });
        user.ifPresent(u -> {
            if (u.isEmpty()) {
                throw new FieldException("user", "is empty");
            }
        });
        for (String name : options.keySet()) {
            if (!DriverOption.NAME.matcher(name).matches() || DriverOption.COMMON_FIELDS.contains(name)) {
                throw new FieldException(MacAddress.printable(name), "is not an option name");
            }
        }
    }

    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** The driver for this entry: its own, else the head node's default. */
    public String driverOr(String defaultDriver) {
        return driver.orElse(defaultDriver);
    }

    @Override
    public String toString() {
        return "BmcCredentials[" + key + (driver.map(d -> " driver=" + d).orElse("")) + user.map(u -> " user=" + u).orElse("")
                + (secret.isPresent() ? " secret=<secret>" : "") + (options.isEmpty() ? "" : " " + options) + "]";
    }
}
