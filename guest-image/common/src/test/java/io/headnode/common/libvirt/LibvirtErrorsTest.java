package io.headnode.common.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.common.libvirt.HypervisorException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.libvirt.Error.ErrorDomain;
import org.libvirt.Error.ErrorNumber;

class LibvirtErrorsTest {
    @ParameterizedTest
    @CsvSource({
            "VIR_ERR_NO_DOMAIN, VIR_FROM_QEMU, NO_DOMAIN",
            "VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, NO_DOMAIN",
            "VIR_ERR_OPERATION_INVALID, VIR_FROM_QEMU, INVALID_STATE",
            "VIR_ERR_NO_CONNECT, VIR_FROM_NONE, CANNOT_CONNECT",
            "VIR_ERR_RPC, VIR_FROM_RPC, CANNOT_CONNECT",
            "VIR_ERR_INVALID_CONN, VIR_FROM_NONE, CANNOT_CONNECT",
            "VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC, CANNOT_CONNECT",
            "VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC, CANNOT_CONNECT",
            "VIR_ERR_SYSTEM_ERROR, VIR_FROM_QEMU, OTHER",
            "VIR_ERR_INTERNAL_ERROR, VIR_FROM_QEMU, OTHER",
            "VIR_ERR_AUTH_FAILED, VIR_FROM_AUTH, PERMISSION_DENIED",
            "VIR_ERR_AUTH_CANCELLED, VIR_FROM_AUTH, PERMISSION_DENIED",
            "VIR_ERR_AUTH_UNAVAILABLE, VIR_FROM_AUTH, PERMISSION_DENIED",
            "VIR_ERR_OPERATION_DENIED, VIR_FROM_QEMU, PERMISSION_DENIED",
            "VIR_ERR_ACCESS_DENIED, VIR_FROM_ACCESS, PERMISSION_DENIED",
            "VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, BAD_XML",
            "VIR_ERR_XML_DETAIL, VIR_FROM_XML, BAD_XML",
            "VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML, BAD_XML",
            "VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_QEMU, BAD_XML",
            "VIR_ERR_NO_SUPPORT, VIR_FROM_TEST, UNSUPPORTED",
            "VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_QEMU, UNSUPPORTED",
            "VIR_ERR_OPERATION_FAILED, VIR_FROM_QEMU, OTHER",
    })
    void codesMapToKinds(ErrorNumber code, ErrorDomain domain, Kind kind) {
        assertThat(LibvirtErrors.classify(code, domain)).isEqualTo(kind);
    }

    @Test
    void noCodeIsOther() {
        assertThat(LibvirtErrors.classify(null, null)).isEqualTo(Kind.OTHER);
        assertThat(LibvirtErrors.classify(ErrorNumber.VIR_ERR_SYSTEM_ERROR, null)).isEqualTo(Kind.OTHER);
    }

    @Test
    void messagesAreOneLine() {
        assertThat(LibvirtErrors.oneLine("a\nb\n")).isEqualTo("a b");
        assertThat(LibvirtErrors.oneLine(null)).isEqualTo("(no message)");
    }
}
