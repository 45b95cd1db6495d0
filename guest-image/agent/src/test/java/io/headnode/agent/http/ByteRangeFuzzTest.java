package io.headnode.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the Range header parser (a pure function of the header and the file size). Input: the header, then after the
 * last newline the file size in decimal (absent or not a number: 1000). Seeds: ByteRangeFuzzTestInputs/parse. The
 * answer is "whole file" (null), {@link ByteRange#UNSATISFIABLE}, or a range inside the file; nothing is thrown.
 * The whole request handling, Range included, is fuzzed by {@link HttpRequestFuzzTest}.
 */
class ByteRangeFuzzTest {
    @FuzzTest
    void parse(byte[] input) {
        String s = new String(input, StandardCharsets.UTF_8);
        int nl = s.lastIndexOf('\n');
        String header = nl < 0 ? s : s.substring(0, nl);
        long size = nl >= 0 && s.substring(nl + 1).matches("[0-9]{1,18}") ? Long.parseLong(s.substring(nl + 1)) : 1000;
        ByteRange r = ByteRange.parse(header, size);
        if (r == null || r == ByteRange.UNSATISFIABLE) {
            return;
        }
        assertThat(r.start()).isBetween(0L, r.end());
        assertThat(r.end()).isLessThan(size);
        assertThat(r.length()).isBetween(1L, size);
    }
}
