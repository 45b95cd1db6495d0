package io.headnode.common.libvirt;

import io.headnode.common.libvirt.HypervisorException.Kind;
import org.libvirt.Error;
import org.libvirt.Error.ErrorDomain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/** The one classification of libvirt errors: by error code (and error domain), never by message text. */
final class LibvirtErrors {
    private LibvirtErrors() {
    }

    static Kind classify(ErrorNumber code, ErrorDomain domain) {
        if (code == null) {
            return Kind.OTHER;
        }
        return switch (code) {
            case VIR_ERR_NO_DOMAIN -> Kind.NO_DOMAIN;
            case VIR_ERR_OPERATION_INVALID -> Kind.INVALID_STATE;
            case VIR_ERR_NO_CONNECT, VIR_ERR_RPC, VIR_ERR_INVALID_CONN -> Kind.CANNOT_CONNECT;
            // the RPC layer reports a socket closed under it (libvirtd restarted) as a system or internal error
            case VIR_ERR_SYSTEM_ERROR, VIR_ERR_INTERNAL_ERROR -> domain == ErrorDomain.VIR_FROM_RPC ? Kind.CANNOT_CONNECT : Kind.OTHER;
            case VIR_ERR_AUTH_FAILED, VIR_ERR_AUTH_CANCELLED, VIR_ERR_AUTH_UNAVAILABLE, VIR_ERR_OPERATION_DENIED,
                 VIR_ERR_ACCESS_DENIED -> Kind.PERMISSION_DENIED;
            case VIR_ERR_XML_ERROR, VIR_ERR_XML_DETAIL, VIR_ERR_XML_INVALID_SCHEMA, VIR_ERR_CONFIG_UNSUPPORTED -> Kind.BAD_XML;
            case VIR_ERR_NO_SUPPORT, VIR_ERR_OPERATION_UNSUPPORTED -> Kind.UNSUPPORTED;
            default -> Kind.OTHER;
        };
    }

    /** {@code what: libvirt's message [VIR_ERR_...]}, classified. */
    static HypervisorException wrap(String what, LibvirtException e) {
        Error error = e.getError();
        ErrorNumber code = error == null ? null : error.getCode();
        String msg = error == null ? e.getMessage() : error.getMessage();
        return new HypervisorException(classify(code, error == null ? null : error.getDomain()),
                what + ": " + oneLine(msg) + (code == null ? "" : " [" + code + "]"), e);
    }

    static String oneLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        return s.replace('\n', ' ').strip();
    }
}
