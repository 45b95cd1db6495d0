package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.headnode.testing.ParserErrors;
import java.util.Optional;

/**
 * Fuzzes authorized_keys. Seeds: AuthorizedKeysFuzzTestInputs/parse. A file either reads as keys that write back to
 * themselves, with only restricting options and no key twice, or is refused with a {@link ShareFormatException}
 * naming the file and a line; nothing else is thrown.
 */
class AuthorizedKeysFuzzTest {
    private static final String FILE = AuthorizedKeys.FILE_NAME;

    @FuzzTest
    void parse(byte[] content) throws ShareFormatException {
        Optional<AuthorizedKeys> read = ParserErrors.parse(FILE, content, AuthorizedKeys::parse);
        if (read.isEmpty()) {
            return;
        }
        AuthorizedKeys keys = read.get();
        assertThat(keys.entries()).extracting(AuthorizedKeys.Entry::key).doesNotHaveDuplicates();
        assertThat(keys.entries()).allSatisfy(e -> assertThat(AuthorizedKeys.OPTIONS).containsAll(e.options()));
        assertThat(keys.entries()).allSatisfy(e -> assertThat(SshPublicKey.TYPES).contains(e.key().type()));
        assertThat(AuthorizedKeys.parse(FILE, keys.render())).isEqualTo(keys);
    }
}
