package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.config.GatewayConfig;

/** Where the keys come from, and which paths stay open. */
class KeySourcesTest {

    private static GatewayConfig.Auth auth(List<String> keys, Path file) {
        return new GatewayConfig.Auth() {
            @Override
            public Optional<List<String>> apiKeys() {
                return Optional.ofNullable(keys);
            }

            @Override
            public Optional<Path> keysFile() {
                return Optional.ofNullable(file);
            }

            @Override
            public boolean protectManagement() {
                return false;
            }
        };
    }

    @Test
    void theListAndTheFileAddUpWithoutBlanksOrRepeats(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), "sk-b\nsk-c\n");
        assertEquals(Set.of("sk-a", "sk-b", "sk-c"), GatewayKeys.keys(auth(List.of(" sk-a ", "", "sk-b"), file)));
        assertEquals(Set.of(), GatewayKeys.keys(auth(null, null)));
        assertEquals(Set.of(), GatewayKeys.keys(auth(List.of(" ", ""), null)));
    }

    @Test
    void aKeysFileWithoutKeysStopsTheStartRatherThanLeavingTheGatewayOpen(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), "# no key yet\n\n");
        String message = assertThrows(IllegalStateException.class, () -> GatewayKeys.keys(auth(null, file)))
                .getMessage();
        assertTrue(message.contains("holds no key"), message);
    }

    @Test
    void keysFileSkipsBlankLinesAndComments(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys");
        Files.writeString(file, "\uFEFF# comment\nsk-a\n\n   \n  sk-b \r\n#sk-c\n  # sk-d\n");
        assertEquals(List.of("sk-a", "sk-b"), GatewayKeys.readKeysFile(file));
    }

    @Test
    void anUnreadableKeysFileStopsTheStart(@TempDir Path dir) {
        String message = assertThrows(IllegalStateException.class,
                () -> GatewayKeys.readKeysFile(dir.resolve("missing"))).getMessage();
        assertTrue(message.contains("cannot be read"), message);
    }

    @Test
    void managementPathsAreHealthAndMetricsOnly() {
        for (String path : new String[] {"/q/health", "/q/health/", "/q/health/ready", "/q/metrics", "/q/metrics/x"}) {
            assertTrue(GatewayKeys.isManagement(path), path);
        }
        for (String path : new String[] {"/q/healthy", "/q/metricsx", "/v1/models", "/", "/q", "/health", null}) {
            assertFalse(GatewayKeys.isManagement(path), path);
        }
    }
}
