package dev.aneprobe.probes.mil.ops;

import dev.aneprobe.probes.coreml.mil.DataType;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One parameter of an op version.
 *
 * @param name        the parameter name, e.g. "weight"
 * @param kind        what kind of value it takes
 * @param types       allowed element types; empty means unchecked
 * @param optional    whether it may be left unbound
 * @param mustBeConst whether it must be bound to a compile-time constant
 * @param variadic    whether it takes one or more bindings (tuple parameters)
 * @param typeDomain  the type-domain tag shared with other parameters that must have the same element type, or ""
 * @param allowed     for a string-enum parameter, the values it takes; null when its values are not checked
 */
public record InputSpec(String name, Kind kind, Set<DataType> types, boolean optional, boolean mustBeConst,
        boolean variadic, String typeDomain, AllowedValues allowed) {

    public InputSpec {
        types = types.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(types));
        typeDomain = typeDomain == null ? "" : typeDomain;
    }

    public InputSpec(String name, Kind kind, Set<DataType> types, boolean optional, boolean mustBeConst,
            boolean variadic, String typeDomain) {
        this(name, kind, types, optional, mustBeConst, variadic, typeDomain, null);
    }

    public InputSpec(String name, Kind kind, Set<DataType> types, boolean optional, boolean mustBeConst,
            boolean variadic) {
        this(name, kind, types, optional, mustBeConst, variadic, "");
    }

    /** True when the element type is allowed (always, when the types are unchecked). */
    public boolean allows(DataType type) {
        return types.isEmpty() || types.contains(type);
    }
}
