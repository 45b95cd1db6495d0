package io.headnode.agent.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.InstallRequest;
import io.headnode.contract.MacAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestSpoolTest {
    @Test
    void readsShareAndLocalRequestsSkipsRunAndBadOnes(@TempDir Path dir) throws Exception {
        Path share = Files.createDirectories(dir.resolve("share/requests"));
        Path local = Files.createDirectories(dir.resolve("local"));
        Files.writeString(share.resolve("b.install"), "52:54:00:00:00:0b\n");
        Files.writeString(share.resolve("a.install"), "all\n");
        Files.writeString(share.resolve("bad.install"), "52:54:00:00:00:0b\nnot-a-mac\n");
        Files.writeString(share.resolve("torn.install"), "52:54:00:00:00:0b");
        Files.writeString(share.resolve("notes.txt"), "ignored\n");
        Files.writeString(share.resolve("done.install"), "all\n");
        String id = RequestSpool.spool(local, false, List.of(MacAddress.parse("52:54:00:00:00:0c")));
        RequestSpool spool = new RequestSpool(share, local);
        List<InstallRequest> pending = spool.pending(i -> i.equals("done"));
        assertThat(pending).extracting(InstallRequest::id).containsExactly("a", "b", id);
        assertThat(pending.get(0).all()).isTrue();
        assertThat(pending.get(2).macs()).containsExactly(MacAddress.parse("52:54:00:00:00:0c"));
        spool.consumed(id);
        spool.consumed("a");
        assertThat(local.resolve(id + ".install")).doesNotExist();
        assertThat(share.resolve("a.install")).exists();
        assertThat(id).matches("guest-[0-9]+-[0-9a-f]{6}");
    }

    @Test
    void missingDirectoriesMeanNoRequests(@TempDir Path dir) {
        assertThat(new RequestSpool(dir.resolve("x"), dir.resolve("y")).pending(i -> false)).isEmpty();
    }

    @Test
    void aLocalRequestThatRanDurablyIsSweptAndTheShareIsNeverTouched(@TempDir Path dir) throws Exception {
        Path share = Files.createDirectories(dir.resolve("share/requests"));
        Path local = Files.createDirectories(dir.resolve("local"));
        Files.writeString(share.resolve("s1.install"), "all\n");
        String ran = RequestSpool.spool(local, true, List.of());
        String waiting = RequestSpool.spool(local, true, List.of());
        new RequestSpool(share, local).sweepLocal(id -> id.equals(ran) || id.equals("s1"));
        assertThat(local.resolve(ran + InstallRequest.SUFFIX)).doesNotExist();
        assertThat(local.resolve(waiting + InstallRequest.SUFFIX)).exists();
        assertThat(share.resolve("s1.install")).exists();
    }
}
