package io.headnode.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The callback and first-boot report bodies: token, the deploy ramdisk's result and reason, nothing else. */
class CallbackFormTest {
    static final String T = "A".repeat(43);

    static CallbackForm parse(String body) {
        return CallbackForm.parse(body.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aBareTokenIsASuccessAsBefore() {
        assertThat(parse("token=" + T + "\n")).isEqualTo(new CallbackForm(T, null));
        assertThat(parse("token=" + T + "&result=ok")).isEqualTo(new CallbackForm(T, null));
        assertThat(parse("token=" + T + "&hostname=node-4c6401")).isEqualTo(new CallbackForm(T, null));
    }

    @Test
    void aFailureCarriesItsDecodedBoundedPrintableReason() {
        assertThat(parse("token=" + T + "&result=failed&reason=checksum:+sha256+of+the+written+image+is+00"))
                .isEqualTo(new CallbackForm(T, "checksum: sha256 of the written image is 00"));
        assertThat(parse("token=" + T + "&result=failed")).isEqualTo(new CallbackForm(T, "no reason given"));
        assertThat(parse("token=" + T + "&result=failed&reason=a%0Ab").failure()).isEqualTo("a?b");
        assertThat(parse("token=" + T + "&result=failed&reason=" + "x".repeat(500)).failure()).hasSize(CallbackForm.MAX_REASON);
    }

    @Test
    void anythingElseIsRefused() {
        assertThat(parse("")).isNull();
        assertThat(parse("token=short")).isNull();
        assertThat(parse("token=" + T + "&token=" + T)).isNull();
        assertThat(parse("token=" + T + "&result=maybe")).isNull();
        assertThat(parse("token=" + T + "&extra=1")).isNull();
        assertThat(parse("token=" + T + "&reason=%zz")).isNull();
        assertThat(parse("result=ok")).isNull();
    }
}
