package io.headnode.contract;

import io.headnode.common.kv.KvException;
import io.headnode.common.kv.KvLines;
import java.util.List;

/**
 * Bad content in a share file: the contract's {@link KvException}, in the same {@code file:line: field: problem}
 * format (line 0 when the whole file is at fault), so an operator can fix it without guessing.
 */
public final class ShareFormatException extends KvException {
    private static final long serialVersionUID = 1L;

    public ShareFormatException(String file, int line, String field, String problem) {
        super(file, line, field, problem);
    }

    /** The same error as the contract's exception. */
    public static ShareFormatException of(KvException e) {
        if (e instanceof ShareFormatException s) {
            return s;
        }
        ShareFormatException s = new ShareFormatException(e.file(), e.line(), e.field(), e.problem());
        s.setStackTrace(e.getStackTrace());
        return s;
    }

    /**
     * A share file's meaningful lines under the common line rules ({@link KvLines}): at most {@code maxBytes} of
     * content, at most {@code maxLines} lines.
     */
    static List<KvLines.Line> lines(String file, byte[] content, int maxBytes, int maxLines) throws ShareFormatException {
        try {
            return KvLines.parse(file, content, maxBytes, maxLines);
        } catch (KvException e) {
            throw of(e);
        }
    }
}
