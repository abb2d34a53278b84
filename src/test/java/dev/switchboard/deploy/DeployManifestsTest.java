package dev.switchboard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The manifests committed under {@code deploy/} (what users apply without building): the probes, the port, the
 * backend settings' wiring, Knative's scale to zero, and the llama.cpp sidecar. Plain JUnit, no Quarkus; run from
 * the module root, like every Surefire test here.
 */
class DeployManifestsTest {

    private static final Path DEPLOY = Path.of("deploy");
    private static final String LIVE = "/q/health/live";
    private static final String READY = "/q/health/ready";
    private static final int PORT = 8400;
    private static final String IMAGE = "switchboard/switchboard";

    @Test
    void kubernetesDeploymentRunsSwitchboardWithProbesPortAndBackendSettings() {
        List<Map<String, Object>> docs = load("kubernetes", "kubernetes.yml");

        Map<String, Object> deployment = only(docs, "apps/v1", "Deployment");
        Map<String, Object> container = only(list(at(deployment, "spec", "template", "spec", "containers")));
        checkSwitchboardContainer(container, true);
        assertBackendSettingsFromConfigMapAndSecret(container);

        Map<String, Object> service = only(docs, "v1", "Service");
        Map<String, Object> port = only(list(at(service, "spec", "ports")));
        assertEquals(PORT, port.get("targetPort"), "the Service forwards to Switchboard's port");
        assertEquals(map(at(deployment, "spec", "selector", "matchLabels")), map(at(service, "spec", "selector")),
                "the Service selects the Deployment's pods");
    }

    @Test
    void knativeServiceScalesToZeroAndRunsSwitchboardWithProbesPortAndBackendSettings() {
        List<Map<String, Object>> docs = load("knative", "knative.yml");

        Map<String, Object> service = only(docs, "serving.knative.dev/v1", "Service");
        Map<String, Object> annotations = map(at(service, "spec", "template", "metadata", "annotations"));
        assertEquals("0", String.valueOf(annotations.get("autoscaling.knative.dev/min-scale")),
                "the revision may scale to zero");

        Map<String, Object> container = only(list(at(service, "spec", "template", "spec", "containers")));
        // Knative routes to the single declared port and rejects a probe port other than it: none is given.
        checkSwitchboardContainer(container, false);
        assertBackendSettingsFromConfigMapAndSecret(container);
    }

    @Test
    void sidecarPodRunsLlamaCppOnLoopbackAndSwitchboardInFrontOfIt() {
        List<Map<String, Object>> docs = load("sidecar", "pod.yml");

        Map<String, Object> deployment = only(docs, "apps/v1", "Deployment");
        Map<String, Object> podSpec = map(at(deployment, "spec", "template", "spec"));
        List<Object> containers = list(podSpec.get("containers"));
        assertEquals(2, containers.size(), "llama.cpp and Switchboard");

        Map<String, Object> llama = containerWithImage(containers, "ghcr.io/ggml-org/llama.cpp:server");
        List<String> args = list(llama.get("args")).stream().map(String::valueOf).toList();
        assertEquals(List.of("-m", "/models/model.gguf", "--host", "127.0.0.1", "--port", "8080"), args);
        assertFalse(llama.containsKey("ports"), "llama.cpp exposes no port: only Switchboard's is reachable");
        Map<String, Object> mount = only(list(llama.get("volumeMounts")));
        assertEquals("/models", mount.get("mountPath"));
        Map<String, Object> volume = only(list(podSpec.get("volumes")));
        assertEquals(mount.get("name"), volume.get("name"), "the model directory is the pod's volume");

        Map<String, Object> switchboard = containerWithImage(containers, IMAGE + ":");
        checkSwitchboardContainer(switchboard, true);
        Map<String, Object> backendUrl = env(switchboard, "BACKEND_URL");
        assertEquals("http://127.0.0.1:8080/v1", backendUrl.get("value"), "Switchboard calls llama.cpp on loopback");

        Map<String, Object> service = only(docs, "v1", "Service");
        Map<String, Object> port = only(list(at(service, "spec", "ports")));
        assertEquals(PORT, port.get("targetPort"), "the Service exposes Switchboard, not llama.cpp");
    }

    @Test
    void manifestsNameNoRegistryHostAndNoBuildMachinePath() throws IOException {
        Pattern machinePath = Pattern.compile("(?m)(^|[\\s\"'=:])/(tmp|work|root|home|Users)/");
        for (Path file : List.of(DEPLOY.resolve("kubernetes/kubernetes.yml"), DEPLOY.resolve("knative/knative.yml"),
                DEPLOY.resolve("sidecar/pod.yml"))) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            assertFalse(machinePath.matcher(text).find(), file + " names a path of the machine that built it");
        }
        List<Object> containers = new ArrayList<>();
        containers.addAll(list(at(only(load("kubernetes", "kubernetes.yml"), "apps/v1", "Deployment"),
                "spec", "template", "spec", "containers")));
        containers.addAll(list(at(only(load("knative", "knative.yml"), "serving.knative.dev/v1", "Service"),
                "spec", "template", "spec", "containers")));
        for (Object container : containers) {
            String image = String.valueOf(map(container).get("image"));
            assertTrue(image.startsWith(IMAGE + ":"), "image " + image + " should be " + IMAGE
                    + ":<version>, with no registry host (the deployer adds theirs)");
        }
    }

    // ---- checks shared by the three manifests

    private static void checkSwitchboardContainer(Map<String, Object> container, boolean probePortWritten) {
        Map<String, Object> port = only(list(container.get("ports")));
        assertEquals(PORT, port.get("containerPort"), "Switchboard listens on " + PORT);
        checkProbe(container, "livenessProbe", LIVE, probePortWritten);
        checkProbe(container, "readinessProbe", READY, probePortWritten);
        Map<String, Object> limits = map(at(container, "resources", "limits"));
        assertNotNull(limits.get("memory"), "a memory limit, sized from the measured RSS");
        Map<String, Object> requests = map(at(container, "resources", "requests"));
        assertNotNull(requests.get("memory"), "a memory request, sized from the measured RSS");
        String javaOpts = String.valueOf(env(container, "JAVA_OPTS_APPEND").get("value"));
        assertTrue(javaOpts.contains("-XX:+UseParallelGC") && javaOpts.contains("-Xmx128m"),
                "the recommended JVM flags: " + javaOpts);
    }

    private static void checkProbe(Map<String, Object> container, String probe, String path, boolean portWritten) {
        Map<String, Object> httpGet = map(at(container, probe, "httpGet"));
        assertEquals(path, httpGet.get("path"), probe);
        if (portWritten) {
            assertEquals(PORT, httpGet.get("port"), probe + " port");
        } else {
            // Quarkus writes `port: null` there; Knative takes an unset port as the container's.
            Object port = httpGet.get("port");
            assertTrue(port == null || Objects.equals(PORT, port), probe + " must not name another port: " + port);
        }
    }

    private static void assertBackendSettingsFromConfigMapAndSecret(Map<String, Object> container) {
        Map<String, Object> url = map(at(env(container, "BACKEND_URL"), "valueFrom", "configMapKeyRef"));
        assertEquals("switchboard", url.get("name"), "BACKEND_URL comes from the ConfigMap");
        assertEquals("backend-url", url.get("key"));
        Map<String, Object> key = map(at(env(container, "BACKEND_API_KEY"), "valueFrom", "secretKeyRef"));
        assertEquals("switchboard", key.get("name"), "BACKEND_API_KEY comes from the Secret");
        assertEquals("backend-api-key", key.get("key"));
    }

    // ---- YAML navigation

    private static List<Map<String, Object>> load(String dir, String file) {
        Path path = DEPLOY.resolve(dir).resolve(file);
        assertTrue(Files.isRegularFile(path), path.toAbsolutePath() + " (tests run from the module root)");
        List<Map<String, Object>> docs = new ArrayList<>();
        try {
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions()))
                    .loadAll(Files.readString(path, StandardCharsets.UTF_8))) {
                if (doc != null) {
                    docs.add(map(doc));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(path + " unreadable", e);
        }
        return docs;
    }

    private static Map<String, Object> only(List<Map<String, Object>> docs, String apiVersion, String kind) {
        List<Map<String, Object>> matching = docs.stream()
                .filter(d -> apiVersion.equals(d.get("apiVersion")) && kind.equals(d.get("kind"))).toList();
        assertEquals(1, matching.size(), "one " + apiVersion + " " + kind);
        return matching.get(0);
    }

    private static Map<String, Object> only(List<Object> items) {
        assertEquals(1, items.size(), "exactly one item in " + items);
        return map(items.get(0));
    }

    private static Map<String, Object> containerWithImage(List<Object> containers, String imagePrefix) {
        return containers.stream().map(DeployManifestsTest::map)
                .filter(c -> String.valueOf(c.get("image")).startsWith(imagePrefix)).findFirst()
                .orElseGet(() -> fail("no container with image " + imagePrefix + "* in " + containers));
    }

    private static Map<String, Object> env(Map<String, Object> container, String name) {
        return list(container.get("env")).stream().map(DeployManifestsTest::map)
                .filter(e -> name.equals(e.get("name"))).findFirst()
                .orElseGet(() -> fail("no env " + name + " in container " + container.get("name")));
    }

    private static Object at(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            current = map(current).get(key);
            assertNotNull(current, "missing " + key + " in " + String.join(".", keys));
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertTrue(node instanceof Map, "expected a mapping, got " + node);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        assertTrue(node instanceof List, "expected a sequence, got " + node);
        return (List<Object>) node;
    }
}
