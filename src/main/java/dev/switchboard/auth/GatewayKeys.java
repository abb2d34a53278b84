package dev.switchboard.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.error.OpenAiError;
import dev.switchboard.log.AccessLog;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Gateway keys ({@code switchboard.auth.*}): when any is configured, a request needs
 * {@code Authorization: Bearer <key>} with one of them, or it is answered 401 in OpenAI's envelope and nothing of it
 * reaches the backend. Every path is covered (the {@code /v1} API and unknown paths alike) except
 * {@code /q/health*} and {@code /q/metrics*}, unless {@code switchboard.auth.protect-management} is set.
 *
 * <p>An accepted request loses its {@code Authorization} header here, so the gateway key never reaches the backend
 * (the configured backend key, if any, is still added by the forwarder), and the access log names the key by its
 * fingerprint. With no key configured nothing is installed: requests do not pay for the feature.
 *
 * <p>A Vert.x route, not a JAX-RS filter, so it runs before RESTEasy Reactive and before the body is read. Its order
 * puts it after Quarkus's CORS filter (order -300, from its filter priority 300): a browser's preflight, which never
 * carries credentials, is answered there, and a 401 carries the CORS headers a browser needs to read it.
 */
@ApplicationScoped
public class GatewayKeys {

    static final int ORDER = -299;

    private static final Logger LOG = Logger.getLogger(GatewayKeys.class);
    private static final String AUTHORIZATION = "Authorization";
    private static final String[] MANAGEMENT = {"/q/health", "/q/metrics"};

    void install(@Observes Router router, GatewayConfig config) {
        KeyRing ring = new KeyRing(keys(config.auth()));
        if (ring.size() == 0) {
            return;
        }
        boolean protectManagement = config.auth().protectManagement();
        router.route().order(ORDER).handler(rc -> {
            if (!protectManagement && isManagement(rc.normalizedPath())) {
                rc.next();
                return;
            }
            String authorization = rc.request().getHeader(AUTHORIZATION);
            if (authorization == null) {
                refuse(rc, "missing API key: send a gateway key as 'Authorization: Bearer <key>'", "missing_api_key");
                return;
            }
            String fingerprint = ring.check(authorization);
            if (fingerprint == null) {
                refuse(rc, "invalid API key: 'Authorization' does not hold 'Bearer <key>' with a gateway key",
                        "invalid_api_key");
                return;
            }
            rc.request().headers().remove(AUTHORIZATION);
            AccessLog.keyUsed(rc, fingerprint);
            rc.next();
        });
        LOG.infof("gateway keys required (%d; fingerprints in the access log); /q/health and /q/metrics %s",
                ring.size(), protectManagement ? "need a key too" : "stay open");
    }

    /** The configured keys, from the list and the file, without blanks or repeats. */
    static Set<String> keys(GatewayConfig.Auth auth) {
        Set<String> keys = new LinkedHashSet<>();
        auth.apiKeys().ifPresent(list -> list.stream().map(String::strip).filter(k -> !k.isEmpty()).forEach(keys::add));
        auth.keysFile().ifPresent(file -> {
            List<String> fromFile = readKeysFile(file);
            if (fromFile.isEmpty()) {
                throw new IllegalStateException("switchboard.auth.keys-file " + file + " holds no key");
            }
            keys.addAll(fromFile);
        });
        return keys;
    }

    /** One key per line; blank lines and lines starting with {@code #} are skipped. */
    static List<String> readKeysFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("switchboard.auth.keys-file " + file + " cannot be read: " + e, e);
        }
        return lines.stream()
                .map(line -> line.replace("\uFEFF", "").strip())
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }

    static boolean isManagement(String path) {
        if (path == null) {
            return false;
        }
        for (String prefix : MANAGEMENT) {
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                return true;
            }
        }
        return false;
    }

    private static void refuse(RoutingContext rc, String message, String code) {
        HttpServerResponse response = rc.response();
        response.putHeader("WWW-Authenticate", "Bearer");
        OpenAiError.send(response, 401, message, code);
    }
}
