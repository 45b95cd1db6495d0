package io.headnode.agent;

import io.headnode.agent.http.HttpServer;
import io.headnode.agent.http.StaticFiles;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Only the static file server (for the boot-storm benchmark and for debugging). */
@Command(name = "serve", description = "Serve a directory over HTTP with the agent's server (benchmarks, debugging).")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--root", required = true)
    Path root;
    @Option(names = "--address", defaultValue = "127.0.0.1")
    String address;
    @Option(names = "--port", defaultValue = "8080", description = "TCP port (0: any free one; the line 'listening on ADDRESS:PORT' names it)")
    int port;
    @Option(names = "--threads", defaultValue = "2")
    int threads;

    @Override
    public Integer call() throws Exception {
        StaticFiles files = new StaticFiles(root);
        HttpServer server = new HttpServer(new InetSocketAddress(address, port), threads, Duration.ofSeconds(10), files::serve);
        InetSocketAddress bound = server.address();
        System.out.println("listening on " + bound.getAddress().getHostAddress() + ":" + bound.getPort());
        System.out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }
}
