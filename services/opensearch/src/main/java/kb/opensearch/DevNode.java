package kb.opensearch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.opensearch.Version;
import org.opensearch.analysis.common.CommonAnalysisModulePlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.PluginInfo;
import org.opensearch.transport.Netty4ModulePlugin;

/**
 * A single-node OpenSearch for development and tests: `DevNode HOME HTTP_PORT [--detached]`.
 *
 * <p>The distribution's launcher needs an unpacked tarball; this runs the server jars from Maven
 * with the two modules we use loaded from the classpath. Loopback only, single-node discovery.
 * Unless --detached, it exits when its stdin closes, so a crashed test run leaves no JVM behind.
 */
public final class DevNode extends Node {
    private DevNode(Settings settings) {
        super(
                InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "kb-dev"),
                List.of(classpathPlugin(Netty4ModulePlugin.class), classpathPlugin(CommonAnalysisModulePlugin.class)),
                true);
    }

    /** What PluginsService would read from a module's plugin-descriptor.properties. */
    private static PluginInfo classpathPlugin(Class<?> plugin) {
        return new PluginInfo(
                plugin.getName(), "classpath module", "NA", Version.CURRENT, "21", plugin.getName(), null, List.of(), false);
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath();
        Settings settings = Settings.builder()
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .put("cluster.name", "kb-dev")
                .put("node.name", "kb-dev")
                .put("network.host", "127.0.0.1")
                .put("http.port", args[1])
                .put("transport.port", "0") // any free port: several nodes may run side by side
                .put("discovery.type", "single-node")
                // A nearly full developer disk must not turn indices read-only.
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .build();
        Node node = new DevNode(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(node), "kb-dev-node-stop"));
        node.start();
        System.out.println("kb-dev-node: started on http://127.0.0.1:" + args[1]);
        if (args.length > 2 && args[2].equals("--detached")) {
            new CountDownLatch(1).await(); // the node's threads are daemons: keep the JVM up
        }
        while (System.in.read() != -1) {
            // Anything written is ignored; end of input is the signal to stop.
        }
        System.exit(0); // runs the shutdown hook
    }

    private static void stop(Node node) {
        try {
            node.close();
            node.awaitClose(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            e.printStackTrace();
        }
    }
}
