package io.headnode.orchestrator.libvirt;

import io.headnode.orchestrator.libvirt.HypervisorException.Kind;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/** Maps libvirt error codes to {@link Kind}s. */
final class LibvirtErrors {
    private LibvirtErrors() {
    }

    static Kind classify(ErrorNumber code) {
        if (code == null) {
            return Kind.OTHER;
        }
        return switch (code) {
            case VIR_ERR_NO_DOMAIN -> Kind.NO_DOMAIN;
            case VIR_ERR_OPERATION_INVALID -> Kind.INVALID_STATE;
            case VIR_ERR_NO_CONNECT, VIR_ERR_RPC -> Kind.CANNOT_CONNECT;
            case VIR_ERR_AUTH_FAILED, VIR_ERR_AUTH_CANCELLED, VIR_ERR_AUTH_UNAVAILABLE, VIR_ERR_OPERATION_DENIED,
                 VIR_ERR_ACCESS_DENIED -> Kind.PERMISSION_DENIED;
            case VIR_ERR_XML_ERROR, VIR_ERR_XML_DETAIL, VIR_ERR_XML_INVALID_SCHEMA, VIR_ERR_CONFIG_UNSUPPORTED -> Kind.BAD_XML;
            default -> Kind.OTHER;
        };
    }

    static HypervisorException wrap(String what, LibvirtException e) {
        ErrorNumber code = e.getError() == null ? null : e.getError().getCode();
        String msg = e.getError() == null ? e.getMessage() : e.getError().getMessage();
        return new HypervisorException(classify(code), what + ": " + oneLine(msg), e);
    }

    static String oneLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        return s.replace('\n', ' ').strip();
    }
}
