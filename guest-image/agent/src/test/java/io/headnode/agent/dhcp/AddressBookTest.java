package io.headnode.agent.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Ipv4Cidr;
import io.headnode.contract.MacAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddressBookTest {
    static final Ipv4Cidr NET = Ipv4Cidr.parse("10.0.5.1/24");
    static final MacAddress A = MacAddress.parse("52:54:00:00:00:0a");
    static final MacAddress B = MacAddress.parse("52:54:00:00:00:0b");
    static final MacAddress C = MacAddress.parse("52:54:00:00:00:0c");

    @Test
    void addressesAreStableAcrossRestartsAndReorderingAndSkipReserved(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("addresses.txt");
        Map<MacAddress, String> first = new AddressBook(f).assign(List.of(A, B), NET, Set.of("10.0.5.1", "10.0.5.2"));
        assertThat(first).containsEntry(A, "10.0.5.3").containsEntry(B, "10.0.5.4");
        Map<MacAddress, String> again = new AddressBook(f).assign(List.of(C, B, A), NET, Set.of("10.0.5.1", "10.0.5.2"));
        assertThat(again).containsEntry(A, "10.0.5.3").containsEntry(B, "10.0.5.4").containsEntry(C, "10.0.5.5");
    }

    @Test
    void aMachineThatLeavesAndComesBackKeepsItsAddress(@TempDir Path dir) throws Exception {
        AddressBook book = new AddressBook(dir.resolve("a.txt"));
        book.assign(List.of(A, B), NET, Set.of("10.0.5.1"));
        Map<MacAddress, String> withoutA = book.assign(List.of(B, C), NET, Set.of("10.0.5.1"));
        assertThat(withoutA).containsEntry(C, "10.0.5.4");
        assertThat(book.assign(List.of(A, B, C), NET, Set.of("10.0.5.1"))).containsEntry(A, "10.0.5.2");
    }

    @Test
    void unchangedAssignmentWritesNothing(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a.txt");
        AddressBook book = new AddressBook(f);
        book.assign(List.of(A, B), NET, Set.of("10.0.5.1"));
        long mtime = Files.getLastModifiedTime(f).toMillis();
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(mtime - 10_000));
        book.assign(List.of(A, B), NET, Set.of("10.0.5.1"));
        assertThat(Files.getLastModifiedTime(f).toMillis()).isEqualTo(mtime - 10_000);
    }

    @Test
    void aFullSubnetReusesAddressesOfUnlistedMachinesAndLeavesTheRestOut(@TempDir Path dir) throws Exception {
        Ipv4Cidr tiny = Ipv4Cidr.parse("10.0.5.1/30");
        AddressBook book = new AddressBook(dir.resolve("a.txt"));
        assertThat(book.assign(List.of(A), tiny, Set.of("10.0.5.1"))).containsEntry(A, "10.0.5.2");
        assertThat(book.assign(List.of(B), tiny, Set.of("10.0.5.1"))).containsEntry(B, "10.0.5.2");
        assertThat(book.assign(List.of(B, C), tiny, Set.of("10.0.5.1"))).containsOnlyKeys(B);
    }

    /** Issue 13: two or more machines past a full subnet threw IndexOutOfBoundsException on every poll. */
    @Test
    void manyMachinesPastAFullSubnetAreAllLeftOut(@TempDir Path dir) throws Exception {
        Ipv4Cidr tiny = Ipv4Cidr.parse("10.0.5.1/30");
        AddressBook book = new AddressBook(dir.resolve("a.txt"));
        assertThat(book.assign(List.of(A, B, C), tiny, Set.of("10.0.5.1"))).containsOnlyKeys(A).containsEntry(A, "10.0.5.2");
    }

    @Test
    void aNewSubnetGetsNewAddresses(@TempDir Path dir) throws Exception {
        AddressBook book = new AddressBook(dir.resolve("a.txt"));
        book.assign(List.of(A), NET, Set.of("10.0.5.1"));
        assertThat(book.assign(List.of(A), Ipv4Cidr.parse("10.9.0.1/16"), Set.of("10.9.0.1"))).containsEntry(A, "10.9.0.2");
    }
}
