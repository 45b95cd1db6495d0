package io.headnode.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextTableTest {
    @Test
    void columnsAreAlignedTwoSpacesApartWithoutTrailingBlanks() {
        TextTable t = TextTable.of("VLAN", "STATE", "DETAIL").row(100, "running", "").row(4094, null, "a\tb");
        assertThat(t.render("> ")).isEqualTo("""
                > VLAN  STATE    DETAIL
                > 100   running  -
                > 4094  -        a?b
                """);
        assertThat(TextTable.of("ONLY").render("")).isEqualTo("ONLY\n");
        assertThatThrownBy(() -> t.row(1, 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 cells for 3 columns");
    }
}
