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
 * answers, the host is cut off (a partition): it fences.
 *
 * <p>The residual risk, stated in docs/design/cluster.md: a partition that also splits the ensemble and leaves this
 * host with only a minority member, while the majority still serves elsewhere, looks like a lost quorum from here.
 * The member re-probes every third of the session timeout and fences as soon as it sees a serving member it cannot
 * reach a session on.
 */
public final class QuorumProbe {
    private QuorumProbe() {
    }

    public enum Verdict { QUORUM_LOST_EVERYWHERE, CUT_OFF_OR_UNKNOWN }

    public static Verdict probe(String connect, int timeoutMs) {
        String[] members = connect.split(",");
        int notServing = 0;
        for (String m : members) {
            String reply = srvr(m, timeoutMs);
            if (reply == null) {
                continue;
            }
            if (reply.contains("Mode: ")) {
                return Verdict.CUT_OFF_OR_UNKNOWN; // a member serves: a quorum exists somewhere
            }
            notServing++;
        }
        return notServing > 0 ? Verdict.QUORUM_LOST_EVERYWHERE : Verdict.CUT_OFF_OR_UNKNOWN;
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
