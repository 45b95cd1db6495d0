package io.headnode.power.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DigestTest {
    @Test
    void rfc2617ExampleWithoutQop() {
        // RFC 2617 section 3.5 values, with qop left out so the response is deterministic
        Digest d = Digest.parse("Digest realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"").orElseThrow();
        String h = d.authorize("GET", "/dir/index.html", "Mufasa", "Circle Of Life");
        assertThat(h).contains("username=\"Mufasa\"").contains("uri=\"/dir/index.html\"").contains("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"")
                .contains("response=\"670fd8c2df070c60b045671b8b24ff02\"");
    }

    @Test
    void qopAuthCountsNonces() {
        Digest d = Digest.parse("Digest realm=\"Digest:ABC\", nonce=\"n1\", qop=\"auth\"").orElseThrow();
        assertThat(d.authorize("POST", "/wsman", "admin", "pw")).contains("qop=auth, nc=00000001");
        assertThat(d.authorize("POST", "/wsman", "admin", "pw")).contains("nc=00000002");
        assertThat(Digest.parse("Basic realm=\"x\"")).isEmpty();
    }
}
