package io.headnode.contract;

import io.headnode.common.kv.FieldException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One option a power driver reads from its credentials.conf entry ({@code name=value}), as the driver declares it:
 * what a valid value looks like (in words for errors, and as a test), its default, whether the entry must give it.
 */
public record DriverOption(String name, String expected, Predicate<String> valid, Optional<String> defaultValue, boolean required) {
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    /** Fields every entry may have; not options. */
    static final List<String> COMMON_FIELDS = List.of("driver", "user", "secret");

    public DriverOption {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(expected, "expected is null");
        Objects.requireNonNull(valid, "valid is null");
        Objects.requireNonNull(defaultValue, "defaultValue is null");
        if (!NAME.matcher(name).matches() || COMMON_FIELDS.contains(name)) {
            throw new IllegalArgumentException("'" + name + "' cannot be an option name");
        }
        if (required && defaultValue.isPresent()) {
            throw new IllegalArgumentException("option " + name + " is required and has a default");
        }
        defaultValue.ifPresent(d -> {
            if (!valid.test(d)) {
                throw new IllegalArgumentException("option " + name + ": the default '" + d + "' is not " + expected);
            }
        });
    }

    /** An optional option without default. */
    public static DriverOption of(String name, String expected, Predicate<String> valid) {
        return new DriverOption(name, expected, valid, Optional.empty(), false);
    }

    /** One of a few words, {@code dflt} when not given. */
    public static DriverOption choice(String name, String dflt, String... values) {
        List<String> all = List.of(values);
        String expected = all.size() == 1 ? values[0]
                : String.join(", ", all.subList(0, all.size() - 1)) + " or " + values[values.length - 1];
        return new DriverOption(name, expected, all::contains, Optional.of(dflt), false);
    }

    /** The same option, which every entry of the driver must give. */
    public DriverOption mandatory() {
        return new DriverOption(name, expected, valid, Optional.empty(), true);
    }

    /** The entry's value, else the default. */
    public Optional<String> find(BmcCredentials entry) {
        return entry.option(name).or(() -> defaultValue);
    }

    /** The entry's value, else the default; for options that have one of the two in a checked entry. */
    public String get(BmcCredentials entry) {
        return find(entry).orElseThrow(() -> new IllegalStateException("option " + name + " has no value and no default"));
    }

    void check(String value) {
        if (!valid.test(value)) {
            throw new FieldException(name, "'" + MacAddress.printable(value) + "' is not " + expected);
        }
    }

    @Override
    public String toString() {
        return name + "=<" + expected + ">" + defaultValue.map(d -> " (default " + d + ")").orElse(required ? " (required)" : "");
    }

    static String names(List<DriverOption> options) {
        return String.join(", ", options.stream().map(DriverOption::name).sorted().toList());
    }
}
