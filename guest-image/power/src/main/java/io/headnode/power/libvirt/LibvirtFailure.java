package io.headnode.power.libvirt;

/** A libvirt call that failed, classified by libvirt's error code (never by message text). */
public final class LibvirtFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Kind { NO_DOMAIN, NO_CONNECTION, AUTH, INVALID_STATE, UNSUPPORTED, UNAVAILABLE, OTHER }

    private final Kind kind;

    public LibvirtFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
