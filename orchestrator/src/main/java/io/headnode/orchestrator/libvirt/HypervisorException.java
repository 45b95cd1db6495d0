package io.headnode.orchestrator.libvirt;

/** A libvirt failure, classified by libvirt's error code (never by its message text). */
public final class HypervisorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure, as far as headnode acts differently. */
    public enum Kind {
        /** libvirt0 (libvirt.so.0) cannot be loaded. */
        LIBRARY_MISSING,
        /** No connection: libvirtd not running, wrong URI. */
        CANNOT_CONNECT,
        /** Authentication or access control said no. */
        PERMISSION_DENIED,
        /** VIR_ERR_NO_DOMAIN. */
        NO_DOMAIN,
        /** The operation does not apply in the domain's current state (VIR_ERR_OPERATION_INVALID). */
        INVALID_STATE,
        /** The XML was rejected. */
        BAD_XML,
        OTHER
    }

    private final Kind kind;

    public HypervisorException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
