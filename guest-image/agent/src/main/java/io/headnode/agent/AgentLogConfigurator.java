package io.headnode.agent;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The agent's logging, set up in code: one stderr appender (systemd's journal keeps it, and the image copies it to the
 * serial console), the VLAN and MAC from the MDC where known, level INFO or {@code HEADNODE_AGENT_LOG} (a system
 * property or environment variable), Velocity at WARN.
 *
 * <p>Why not a logback.xml: under TCG, logback's XML configuration (its XML parser and Joran, some 600 classes) took
 * 3.5 s of the head node's boot before the agent could start (docs/benchmarks/orchestrator.md). Logback finds this
 * class through {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}. It steps aside, and logback
 * goes on to its usual configuration files, when the JVM names one ({@code -Dlogback.configurationFile}) or has a
 * logback.xml or logback-test.xml on its class path: test JVMs, and JVMs that hold the orchestrator too.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class AgentLogConfigurator extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0}"
            + "%replace( vlan=%X{vlan}){' vlan=$', ''}%replace( mac=%X{mac}){' mac=$', ''} - %msg%n";
    static final String LEVEL_VARIABLE = "HEADNODE_AGENT_LOG";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (configurationFileGiven(AgentLogConfigurator.class.getClassLoader())) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static boolean configurationFileGiven(ClassLoader loader) {
        return System.getProperty("logback.configurationFile") != null
                || loader.getResource("logback-test.xml") != null || loader.getResource("logback.xml") != null;
    }

    static void apply(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level());
        root.addAppender(stderr);
        context.getLogger("org.apache.velocity").setLevel(Level.WARN);
    }

    static Level level() {
        String v = System.getProperty(LEVEL_VARIABLE, System.getenv(LEVEL_VARIABLE));
        return Level.toLevel(v, Level.INFO);
    }
}
