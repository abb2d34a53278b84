package dev.switchboard.log;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.switchboard.upstream.RelayCall;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * One line per request on the {@code switchboard.access} logger: method, path, gateway key, model, stream, status,
 * duration, bytes sent and the {@link RequestId}. Headers are never logged, so no API key can reach a log: the gateway
 * key a request was let in with appears as its fingerprint ({@code key=1a2b3c4d}, see {@code auth/KeyRing}),
 * {@code key=-} otherwise.
 */
@ApplicationScoped
public class AccessLog {

    private static final Logger LOG = Logger.getLogger("switchboard.access");
    private static final String MODEL = "switchboard.model";
    private static final String STREAM = "switchboard.stream";
    private static final String KEY = "switchboard.key";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            long start = System.nanoTime();
            String id = RequestId.of(rc.request());
            // set first, so every answer carries it; the Forwarder reads it from here for the backend
            rc.response().putHeader(RequestId.HEADER, id);
            rc.addEndHandler(ended -> log(rc, id, start));
            rc.next();
        });
    }

    /** What the request asked for, noted by the resource once it has read the body. */
    public static void describe(RoutingContext rc, String model, boolean stream) {
        rc.put(MODEL, model);
        rc.put(STREAM, stream);
    }

    /** The fingerprint of the gateway key the request was let in with. */
    public static void keyUsed(RoutingContext rc, String fingerprint) {
        rc.put(KEY, fingerprint);
    }

    /** The fingerprint of the gateway key the request was let in with; null when gateway keys are off. */
    public static String keyUsed(RoutingContext rc) {
        return rc.get(KEY);
    }

    private static void log(RoutingContext rc, String id, long start) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        long micros = (System.nanoTime() - start) / 1_000;
        Object model = rc.get(MODEL);
        Object stream = rc.get(STREAM);
        Object key = rc.get(KEY);
        // built by hand: String.format showed up in the hot path's profile
        StringBuilder line = new StringBuilder(128)
                .append(rc.request().method().name()).append(' ').append(rc.request().path())
                .append(" key=").append(key == null ? "-" : key)
                .append(" model=").append(model == null ? "-" : model)
                .append(" stream=").append(stream == null ? "-" : stream)
                .append(" status=").append(rc.response().getStatusCode())
                .append(" duration=").append(micros / 1000).append('.');
        long fraction = micros % 1000;
        if (fraction < 100) {
            line.append(fraction < 10 ? "00" : "0");
        }
        line.append(fraction).append("ms bytes=").append(rc.response().bytesWritten()).append(" id=").append(id);
        RelayCall call = RelayCall.of(rc);
        if (call != null && call.backend() != null) {
            line.append(" backend=").append(call.backend().name());
            if (!call.skipped().isEmpty()) {
                line.append(" fallback=").append(call.skipped());
            }
        }
        if (rc.response().closed() && !rc.response().ended()) {
            line.append(" client_closed");
        }
        LOG.info(line);
    }
}
