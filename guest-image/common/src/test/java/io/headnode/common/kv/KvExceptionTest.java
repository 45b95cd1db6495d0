package io.headnode.common.kv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KvExceptionTest {
    @Test
    void aHugeUnknownKeyGivesAShortOneLineMessage() throws Exception {
        String key = "k".repeat(1 << 20);
        KvException e = org.junit.jupiter.api.Assertions.assertThrows(KvException.class, () -> KvFile
                .parse("headnode.conf", (key + " = 1\n").getBytes(java.nio.charset.StandardCharsets.UTF_8), 4 << 20)
                .requireKnown(java.util.List.of("vlan")));

        assertThat(e.getMessage()).hasSizeLessThan(2048).startsWith("headnode.conf:1: " + "k".repeat(128) + "...(1048576 characters): ")
                .doesNotContain("\n");
        assertThat(e.field()).hasSize(1 << 20);
    }

    @Test
    void shortPartsAreLeftAlone() {
        assertThat(new KvException("a.conf", 3, "key", "bad\nvalue").getMessage()).isEqualTo("a.conf:3: key: bad\\u000avalue");
    }
}
