package io.headnode.storm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a node reads from its per-MAC pxelinux config: kernel, initrd and the kickstart URL's path. */
public record PxeConfig(String kernel, String initrd, String kickstartPath) {
    private static final Pattern KERNEL = Pattern.compile("(?m)^\\s*kernel\\s+(\\S+)");
    private static final Pattern INITRD = Pattern.compile("initrd=(\\S+)");
    private static final Pattern KS = Pattern.compile("ks=http://[^/\\s]+(/\\S+)");

    public static PxeConfig parse(String text) {
        return new PxeConfig(group(KERNEL, text, "kernel"), group(INITRD, text, "initrd="), group(KS, text, "ks=http://"));
    }

    private static String group(Pattern p, String text, String what) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("per-MAC config has no " + what + ": " + text.substring(0, Math.min(200, text.length())));
        }
        return m.group(1);
    }

    /** The callback the kickstart's %post makes: its URL's path and the token. */
    public record Callback(String path, String token) {
        private static final Pattern TOKEN = Pattern.compile("token=([A-Za-z0-9_-]{43})");
        private static final Pattern URL = Pattern.compile("'http://[^/']+(/boot-default/[^']+)'");

        public static Callback fromKickstart(String ks) {
            return new Callback(group(URL, ks, "callback URL"), group(TOKEN, ks, "token"));
        }
    }
}
