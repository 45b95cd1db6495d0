package io.headnode.agent.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import io.headnode.contract.InstallRequest;
import io.headnode.contract.MacAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    /**
     * Issue 13: a FIFO among the requests blocked the loop in open() forever; a link to /dev/zero exhausted the heap; a
     * file name with line breaks forged log lines. Each is refused on one log line, and the good request still runs.
     */
    @Test
    void aFifoALinkToDevZeroAndANameWithLineBreaksAreRefusedWithoutBlockingOnOneLogLineEach(@TempDir Path dir) throws Exception {
        Path share = Files.createDirectories(dir.resolve("share/requests"));
        Files.writeString(share.resolve("good.install"), "all\n");
        Process p = new ProcessBuilder("mkfifo", share.resolve("fifo.install").toString()).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        Files.createSymbolicLink(share.resolve("zero.install"), Path.of("/dev/zero"));
        Files.writeString(share.resolve("x\n12:00:00 ERROR forged.install"), "all");
        Logger logger = (Logger) LoggerFactory.getLogger(RequestSpool.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            RequestSpool spool = new RequestSpool(share, dir.resolve("local"));
            List<InstallRequest> pending = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> spool.pending(i -> false));
            assertThat(pending).extracting(InstallRequest::id).containsExactly("good");
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> spool.pending(i -> false));
        } finally {
            logger.detachAppender(log);
        }
        List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(l).doesNotContain("\n", "\r"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("requests/fifo.install: file: is not a regular file"))
                .anySatisfy(l -> assertThat(l).contains("requests/zero.install: file: leads outside"))
                .anySatisfy(l -> assertThat(l).contains("requests/x\\u000a12:00:00 ERROR forged.install:1: file: incomplete"));
    }

    @Test
    void atMostMaxFilesWaitingFilesAreReadPerPollFirstInNameOrderTheRestOnceTheyHaveRun(@TempDir Path dir) throws Exception {
        Path share = Files.createDirectories(dir.resolve("share/requests"));
        for (int i = 0; i < RequestSpool.MAX_FILES + 10; i++) {
            Files.writeString(share.resolve(String.format("r%04d.install", i)), "all\n");
        }
        RequestSpool spool = new RequestSpool(share, dir.resolve("local"));
        List<InstallRequest> first = spool.pending(i -> false);
        assertThat(first).hasSize(RequestSpool.MAX_FILES);
        assertThat(first.get(0).id()).isEqualTo("r0000");
        assertThat(first.get(RequestSpool.MAX_FILES - 1).id()).isEqualTo(String.format("r%04d", RequestSpool.MAX_FILES - 1));
        java.util.Set<String> ran = new java.util.HashSet<>();
        first.forEach(r -> ran.add(r.id()));
        assertThat(spool.pending(ran::contains)).hasSize(10);
    }
}
