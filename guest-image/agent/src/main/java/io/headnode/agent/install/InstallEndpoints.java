package io.headnode.agent.install;

import io.headnode.contract.MacAddress;
import java.util.concurrent.CompletableFuture;

/**
 * What the agent's HTTP routes call on the install side: two calls, both safe from any thread. Neither touches the
 * disk on the caller's thread for the state: the change is made in memory and written by the install writer thread.
 * Callers must still not call them on an HTTP I/O thread: the kickstart renders a template (which may stat an
 * operator's file), and a caller that waits for the callback's future blocks.
 */
public interface InstallEndpoints {
    /** An HTTP answer: status code and a short text body. */
    record Answer(int status, String body) {
    }

    /**
     * {@code GET /ks/01-...} from {@code source}: the node's kickstart (200) while its install is active and only to
     * its own fixed address (else 403), 404 when no install is active, 410 when the attempts are used up. Counts
     * one boot attempt; that count is saved in the background (not awaited).
     */
    Answer kickstart(MacAddress mac, String source);

    /**
     * {@code POST /boot-default/01-...} with {@code token}: decided at once in memory. Refusals complete at once
     * (403 wrong address or token, 409 no install in progress). An accepted callback completes with 200 only once
     * the new state is on disk and pxelinux.cfg has been synced with it (the per-MAC config removed; should that
     * fail, the health says so and the next sync retries); 503 if the state cannot be saved (the install then stays
     * active, so the installer may retry). A caller that stops waiting completes the returned future itself (e.g.
     * with a 503 of its own): the completion is then undone (the install stays active, its config returns if it was
     * already removed), so an installer told anything but 200 can always retry with the same token.
     */
    CompletableFuture<Answer> callback(MacAddress mac, String source, String token);
}
