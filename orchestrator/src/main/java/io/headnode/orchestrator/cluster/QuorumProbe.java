package io.headnode.orchestrator.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Tells "the ensemble has no quorum" from "this host is cut off", with ZooKeeper's {@code srvr} four-letter word
 * (servers need {@code 4lw.commands.whitelist=srvr}). When some member answers and none of those that answer serves,
 * the ensemble has lost its quorum: no leader can re-place this host's head nodes, so it keeps them. When no member
 * answers, the host is cut off (a partition): it fences. When a member serves, the host can reach a quorum and is
 * about to reconnect; it fences only if that does not happen in time.
 *
 * <p>The residual risk, stated in docs/design/cluster.md: a partition that also splits the ensemble and leaves this
 * host with only a minority member, while the majority still serves elsewhere, looks like a lost quorum from here.
 * The member re-probes every third of the session timeout and fences once a serving member is reachable but it has
 * no session for half a session timeout more.
 */
public final class QuorumProbe {
    private QuorumProbe() {
    }

    /** What the members say: some serve; some answer but none serves (no quorum); none answers (cut off). */
    public enum Verdict { SERVING, QUORUM_LOST_EVERYWHERE, CUT_OFF }

    public static Verdict probe(String connect, int timeoutMs) {
        String[] members = connect.split(",");
        int notServing = 0;
        for (String m : members) {
            String reply = srvr(m, timeoutMs);
            if (reply == null) {
                continue;
            }
            if (reply.contains("Mode: ")) {
                return Verdict.SERVING; // a member serves: a quorum exists, and we can reach it
            }
            notServing++;
        }
        return notServing > 0 ? Verdict.QUORUM_LOST_EVERYWHERE : Verdict.CUT_OFF;
    }

    /** The member's {@code srvr} reply, or null when it does not answer. */
    static String srvr(String hostPort, int timeoutMs) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            return null;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))), timeoutMs);
            s.setSoTimeout(timeoutMs);
            OutputStream out = s.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] b = in.readNBytes(4096);
            return b.length == 0 ? null : new String(b, StandardCharsets.UTF_8);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }
}
