package io.headnode.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentLogConfiguratorTest {
    @Test
    void configuresStderrWithTheVlanAndMacFromTheMdc() {
        LoggerContext context = new LoggerContext();
        AgentLogConfigurator.apply(context);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("org.apache.velocity").getLevel()).isEqualTo(Level.WARN);
        ConsoleAppender<ILoggingEvent> stderr = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR");
        assertThat(stderr.getTarget()).isEqualTo("System.err");
        assertThat(stderr.isStarted()).isTrue();

        Encoder<ILoggingEvent> encoder = stderr.getEncoder();
        LoggingEvent withVlan = new LoggingEvent("x", context.getLogger("io.headnode.agent.Agent"), Level.INFO, "applied share", null, null);
        withVlan.setMDCPropertyMap(Map.of("vlan", "100"));
        withVlan.setThreadName("agent-loop");
        assertThat(new String(encoder.encode(withVlan), StandardCharsets.UTF_8))
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[agent-loop] Agent vlan=100 - applied share\\R");
        LoggingEvent bare = new LoggingEvent("x", context.getLogger("io.headnode.agent.RunCommand"), Level.WARN, "no {}", null, new Object[] {"share"});
        bare.setMDCPropertyMap(Map.of());
        bare.setThreadName("main");
        assertThat(new String(encoder.encode(bare), StandardCharsets.UTF_8))
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[main] RunCommand - no share\\R");
    }

    @Test
    void stepsAsideForAConfigurationFileOnTheClassPath() throws Exception {
        // this test JVM has logback-test.xml; a class loader with nothing on its path has none
        assertThat(AgentLogConfigurator.configurationFileGiven(getClass().getClassLoader())).isTrue();
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertThat(AgentLogConfigurator.configurationFileGiven(empty)).isFalse();
        }
    }

    @Test
    void levelFromTheVariable() {
        System.setProperty(AgentLogConfigurator.LEVEL_VARIABLE, "DEBUG");
        try {
            assertThat(AgentLogConfigurator.level()).isEqualTo(Level.DEBUG);
        } finally {
            System.clearProperty(AgentLogConfigurator.LEVEL_VARIABLE);
        }
        assertThat(AgentLogConfigurator.level()).isEqualTo(Level.INFO);
    }
}
