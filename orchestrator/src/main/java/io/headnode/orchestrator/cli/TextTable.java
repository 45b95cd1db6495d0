package io.headnode.orchestrator.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A plain-text table for people: a header row in capitals, columns left-aligned and two spaces apart, the last
 * column not padded (no trailing blanks), a null cell as "-". Cells are one line: control characters (text that came
 * from a guest may hold line breaks or terminal escapes) become '?'. Used by {@code headnode list}, {@code show} and
 * the lab.
 */
public final class TextTable {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    private TextTable(List<String> headers) {
        if (headers.isEmpty()) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.headers = List.copyOf(headers);
    }

    public static TextTable of(String... headers) {
        return new TextTable(List.of(headers));
    }

    /** Adds a row: one cell per column, in order. */
    public TextTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row of " + cells.length + " cells for " + headers.size() + " columns");
        }
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(cell(c));
        }
        rows.add(r);
        return this;
    }

    public int size() {
        return rows.size();
    }

    /** The table, each line starting with {@code indent} and ending with a line break. */
    public String render(String indent) {
        Objects.requireNonNull(indent, "indent is null");
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = headers.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, indent, headers, width);
        rows.forEach(r -> line(b, indent, r, width));
        return b.toString();
    }

    public void print(PrintWriter out, String indent) {
        out.print(render(indent));
    }

    private static void line(StringBuilder b, String indent, List<String> cells, int[] width) {
        StringBuilder l = new StringBuilder(indent);
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            l.append(c);
            if (i < cells.size() - 1) {
                l.append(" ".repeat(width[i] - c.length() + 2));
            }
        }
        b.append(l.toString().stripTrailing()).append('\n');
    }

    /** One cell: "-" for null or empty, control characters as '?'. */
    static String cell(Object value) {
        String s = value == null ? "" : value.toString();
        if (s.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return b.toString();
    }
}
