package io.headnode.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticFilesTest {
    @Test
    void servesFilesInsideTheRootOnly(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("tftpboot/centos"));
        Files.writeString(root.resolve("vmlinuz"), "kernel");
        Files.writeString(dir.resolve("secret"), "secret");
        Files.writeString(root.resolve(".pxelinux.cfg.tmp"), "temp");
        Files.createSymbolicLink(root.resolve("escape"), dir.resolve("secret"));
        StaticFiles f = new StaticFiles(dir.resolve("tftpboot"));
        assertThat(f.resolve("/centos/vmlinuz")).isNotNull();
        assertThat(f.resolve("/centos/%76mlinuz")).isNotNull();
        assertThat(f.resolve("/centos/../../secret")).isNull();
        assertThat(f.resolve("/centos/%2e%2e/%2e%2e/secret")).isNull();
        assertThat(f.resolve("/centos/escape")).isNull();
        assertThat(f.resolve("/centos/.pxelinux.cfg.tmp")).isNull();
        assertThat(f.resolve("/centos")).isNull();
        assertThat(f.resolve("/")).isNull();
        assertThatThrownBy(() -> f.resolve("/centos/vmlinuz%00.txt")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.resolve("/centos\\..\\..\\secret")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.resolve("/centos/%5c..%5csecret")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.resolve("/%c0%ae%c0%ae/secret")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.resolve("centos/vmlinuz")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.resolve("/%zz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rangesAndStatusCodes(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("f"), new byte[1000]);
        StaticFiles f = new StaticFiles(dir);
        HttpResponse whole = f.serve(new HttpRequest("GET", "/f", Map.of(), new byte[0], "127.0.0.1"));
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.contentLength()).isEqualTo(1000);
        HttpResponse part = f.serve(new HttpRequest("GET", "/f?x=1", Map.of("range", "bytes=10-19"), new byte[0], "127.0.0.1"));
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.offset()).isEqualTo(10);
        assertThat(part.length()).isEqualTo(10);
        assertThat(f.serve(new HttpRequest("GET", "/f", Map.of("range", "bytes=2000-"), new byte[0], "127.0.0.1")).status()).isEqualTo(416);
        assertThat(f.serve(new HttpRequest("GET", "/missing", Map.of(), new byte[0], "127.0.0.1")).status()).isEqualTo(404);
        assertThat(f.serve(new HttpRequest("GET", "/a%00b", Map.of(), new byte[0], "127.0.0.1")).status()).isEqualTo(400);
    }
}
