package io.headnode.power;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.headnode.contract.BmcCredentials;
import io.headnode.contract.CredentialsFile;
import io.headnode.contract.DriverOptions;
import io.headnode.contract.ShareFormatException;
import io.headnode.contract.ShareLayout;
import io.headnode.power.driver.PowerDriver;
import io.headnode.testing.ParserErrors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Fuzzes credentials.conf here, where the power drivers are (the contract cannot see them). Seeds:
 * CredentialsFileFuzzTestInputs/{parse,values}.
 * <ul>
 *   <li>{@code parse}: a file either reads as one that writes back to itself, or is refused with a
 *       {@link ShareFormatException} naming the file and a line; {@link CredentialsFile#validate} against the drivers
 *       {@link PowerModule} binds, with each of them (and an unknown one) as headnode.conf's default, passes or is refused
 *       the same way, and the same for the file as written back;</li>
 *   <li>{@code values}: any text, written as a {@code user=} value with only the escapes the file needs (blanks,
 *       controls and {@code %} as {@code %XX}, everything else literal), reads back as itself.</li>
 * </ul>
 */
class CredentialsFileFuzzTest {
    private static final String FILE = CredentialsFile.FILE_NAME;
    private static final Map<String, DriverOptions> DRIVERS = drivers();
    private static final List<String> DEFAULT_DRIVERS = List.of("amt", "ipmi", "redfish", "libvirt", "unknown");

    private static Map<String, DriverOptions> drivers() {
        Map<String, PowerDriver> bound = Guice.createInjector(new PowerModule(new ShareLayout(Path.of("/nonexistent")), PowerSettings.defaults()))
                .getInstance(Key.get(new TypeLiteral<Map<String, PowerDriver>>() { }));
        Map<String, DriverOptions> out = new TreeMap<>();
        bound.forEach((name, d) -> out.put(name, d.options()));
        return out;
    }

    @FuzzTest
    void parse(byte[] content) throws ShareFormatException {
        Optional<CredentialsFile> read = ParserErrors.parse(FILE, content, CredentialsFile::parse);
        if (read.isEmpty()) {
            return;
        }
        CredentialsFile file = read.get();
        byte[] written = file.render();
        CredentialsFile again = CredentialsFile.parse(FILE, written);
        assertThat(again).isEqualTo(file);
        for (String dflt : DEFAULT_DRIVERS) {
            assertThat(refusal(again, dflt, written)).isEqualTo(refusal(file, dflt, content));
        }
    }

    /** The field and problem of validate's refusal, empty when it passes; the refusal names the file and a line. */
    private static Optional<String> refusal(CredentialsFile file, String defaultDriver, byte[] content) {
        try {
            file.validate(defaultDriver, DRIVERS);
            return Optional.empty();
        } catch (ShareFormatException e) {
            ParserErrors.check(e, FILE, content);
            return Optional.of(e.field() + ": " + e.problem());
        }
    }

    @FuzzTest
    void values(byte[] input) throws ShareFormatException {
        String value = new String(input, StandardCharsets.UTF_8);
        if (value.isEmpty()) {
            return;
        }
        String line = "* user=" + escapeOnlyWhatIsNeeded(value) + "\n";
        List<BmcCredentials> entries = CredentialsFile.parse(FILE, line.getBytes(StandardCharsets.UTF_8)).entries();
        assertThat(entries).singleElement().satisfies(e -> assertThat(e.user()).contains(value));
    }

    private static String escapeOnlyWhatIsNeeded(String v) {
        StringBuilder b = new StringBuilder();
        v.codePoints().forEach(c -> {
            if (c <= 0x20 || c == 0x7f || c == '%' || c == 0xfeff || Character.isWhitespace(c)) {
                for (byte x : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
                    b.append(String.format("%%%02X", x & 0xff));
                }
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
