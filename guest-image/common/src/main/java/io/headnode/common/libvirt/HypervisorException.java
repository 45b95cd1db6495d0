package io.headnode.common.libvirt;

import java.util.Objects;

/** A libvirt failure, classified by libvirt's error code (never by its message text); see {@link LibvirtErrors}. */
public final class HypervisorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure, as far as callers act differently. */
    public enum Kind {
        /** libvirt0 (libvirt.so.0) cannot be loaded. */
        LIBRARY_MISSING,
        /** No connection, or the connection was lost: libvirtd not running or restarted, wrong URI. */
        CANNOT_CONNECT,
        /** Authentication or access control said no. */
        PERMISSION_DENIED,
        /** VIR_ERR_NO_DOMAIN. */
        NO_DOMAIN,
        /** The operation does not apply in the domain's current state (VIR_ERR_OPERATION_INVALID). */
        INVALID_STATE,
        /** The XML was rejected. */
        BAD_XML,
        /** The driver or the domain does not support the operation. */
        UNSUPPORTED,
        OTHER
    }

    private final Kind kind;

    public HypervisorException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind is null");
    }

    public Kind kind() {
        return kind;
    }
}
