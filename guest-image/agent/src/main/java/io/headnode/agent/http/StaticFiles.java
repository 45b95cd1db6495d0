package io.headnode.agent.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Serves the tftpboot tree read-only. Refuses path tricks: percent-decoding is strict (no NUL, no backslash, no
 * control characters, valid UTF-8), no "." or ".." segments, no hidden (dot) files, and the real path (after
 * symlinks) must stay inside the root. Only regular files; no directory listings.
 */
public final class StaticFiles {
    private final Path root;
    private final Path realRoot;

    public StaticFiles(Path root) throws IOException {
        this.root = Objects.requireNonNull(root, "root is null").toAbsolutePath().normalize();
        this.realRoot = this.root.toRealPath();
    }

    public HttpResponse serve(HttpRequest req) {
        Path file;
        try {
            file = resolve(req.path());
        } catch (IllegalArgumentException e) {
            return HttpResponse.text(400, "bad path\n");
        }
        if (file == null) {
            return HttpResponse.text(404, "not found\n");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            return HttpResponse.text(404, "not found\n");
        }
        return HttpResponse.ranged(contentType(file), file, size, req.header("range"));
    }

    /** The regular file the path names inside the root, or null; IllegalArgumentException for a malformed path. */
    public Path resolve(String rawPath) {
        if (!rawPath.startsWith("/") || rawPath.length() > 1024) {
            throw new IllegalArgumentException("bad path");
        }
        String decoded = decode(rawPath);
        Path p = root;
        for (String seg : decoded.split("/")) {
            if (seg.isEmpty()) {
                continue;
            }
            if (seg.startsWith(".")) {
                return null;
            }
            p = p.resolve(seg);
        }
        p = p.normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            return null;
        }
        try {
            Path real = p.toRealPath();
            if (!real.startsWith(realRoot) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS) || !Files.isReadable(real)) {
                return null;
            }
            return real;
        } catch (IOException e) {
            return null;
        }
    }

    static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException("bad escape");
                }
                int v = Character.digit(s.charAt(i + 1), 16) << 4 | Character.digit(s.charAt(i + 2), 16);
                if (Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw new IllegalArgumentException("bad escape");
                }
                out.write(v);
                i += 2;
            } else if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("bad character");
            } else {
                out.write(c);
            }
        }
        String d;
        try {
            d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8");
        }
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                throw new IllegalArgumentException("bad character");
            }
        }
        return d;
    }

    static String contentType(Path file) {
        String n = file.getFileName().toString();
        if (n.endsWith(".cfg") || n.endsWith(".txt") || n.startsWith("01-") || n.equals("default")) {
            return "text/plain; charset=utf-8";
        }
        return "application/octet-stream";
    }
}
