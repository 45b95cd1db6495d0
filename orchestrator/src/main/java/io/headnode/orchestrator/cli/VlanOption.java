package io.headnode.orchestrator.cli;

import io.headnode.contract.Vlan;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converts --vlan values; a VLAN outside 1..4094 is a usage error (exit 2). */
public final class VlanOption implements ITypeConverter<Vlan> {
    @Override
    public Vlan convert(String value) {
        try {
            return Vlan.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
