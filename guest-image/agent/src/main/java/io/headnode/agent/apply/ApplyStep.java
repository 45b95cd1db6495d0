package io.headnode.agent.apply;

import io.headnode.agent.share.ShareSnapshot;
import io.headnode.contract.AgentStatus.Health;
import java.util.Map;

/**
 * One part of bringing the guest in line with a valid share (profile, network, DHCP, TFTP, daemons, installs, HTTP,
 * firewall). A step compares what the share asks for with what is in place and changes only the difference, so
 * applying the same share twice changes nothing. {@link ApplyPipeline} runs the steps in order and retries a failed
 * one after its backoff. To add a step: implement this, and list it in {@code AgentModule.applyPipeline}.
 */
public interface ApplyStep extends AutoCloseable {
    /** The step's name in logs. */
    String name();

    /** True when a failure must stop the pass: the steps after it keep the previous configuration. */
    boolean gates();

    /** Brings this step's part in line with {@code share}. Expected failures are a {@link StepResult.Failed}, not an exception. */
    StepResult apply(ShareSnapshot share);

    /** Upkeep on every poll, between applies (restart a daemon that died, re-check the firewall). */
    default void maintain() {
    }

    /** The health of what this step keeps, by service name in the status (most steps keep one). */
    Map<String, Health> health();

    /** Stops what the step runs (at agent shutdown). */
    @Override
    default void close() {
    }
}
