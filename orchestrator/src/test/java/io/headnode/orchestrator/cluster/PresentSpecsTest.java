package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.TestSpecs;
import io.headnode.orchestrator.config.HostConfig;
import io.headnode.orchestrator.spec.SpecStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PresentSpecsTest {
    @TempDir
    Path dir;
    SpecStore specs;
    PresentSpecs present;

    @BeforeEach
    void setUp() throws Exception {
        HostConfig config = ClusterFixtures.hostConfig(dir, "hv1");
        specs = new SpecStore(config);
        present = new PresentSpecs(specs);
    }

    @Test
    void followsEveryKindOfChangeToTheSpecFiles() throws Exception {
        specs.write(TestSpecs.spec(100));
        specs.write(TestSpecs.spec(200));
        assertThat(present.vlans()).containsExactly(new Vlan(100), new Vlan(200));
        specs.write(TestSpecs.spec(200).markedAbsent(true)); // an atomic rewrite: another file
        assertThat(present.vlans()).containsExactly(new Vlan(100));
        specs.remove(new Vlan(100));
        Files.writeString(specs.file(new Vlan(300)), "vlan = 300\nnot a spec line\n");
        assertThat(present.vlans()).as("a broken spec is not present").isEmpty();
        specs.write(TestSpecs.spec(300));
        specs.write(TestSpecs.spec(100));
        assertThat(present.vlans()).containsExactly(new Vlan(100), new Vlan(300));
    }

    @Test
    void anUnchangedFileIsNotReadAgain() throws Exception {
        Vlan v = new Vlan(100);
        specs.write(TestSpecs.spec(100));
        assertThat(present.vlans()).containsExactly(v);
        // the same file, size and modification time, with other bytes: only a re-read would see "absent"
        Path f = specs.file(v);
        String text = Files.readString(f);
        assertThat(text).contains("state = present");
        FileTime modified = Files.getLastModifiedTime(f);
        Files.writeString(f, text.replace("state = present", "state = absent "));
        Files.setLastModifiedTime(f, modified);
        assertThat(present.vlans()).as("answered from what it saw").containsExactly(v);
        Files.setLastModifiedTime(f, FileTime.fromMillis(modified.toMillis() + 1_000));
        assertThat(present.vlans()).as("read again once the time differs").isEmpty();
    }
}
