package io.headnode.orchestrator.util;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** One clear line for an exception an admin will read. */
public final class Errors {
    private Errors() {
    }

    public static String oneLine(Throwable e) {
        String msg;
        if (e instanceof AccessDeniedException a) {
            msg = a.getReason() != null ? a.getReason() : "permission denied: " + a.getFile() + " (run as root?)";
        } else if (e instanceof NoSuchFileException n) {
            msg = n.getReason() != null ? n.getReason() : "no such file: " + n.getFile();
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            msg = f.getFile() + ": " + f.getReason();
        } else {
            msg = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        return msg.lines().findFirst().orElse("").strip();
    }
}
