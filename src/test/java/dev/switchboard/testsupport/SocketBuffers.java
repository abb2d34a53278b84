package dev.switchboard.testsupport;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * Test profiles that measure backpressure set {@code test.http.send-buffer-size}: a fixed SO_SNDBUF on the gateway's
 * client connections, so the kernel's send-buffer autotuning (up to {@code tcp_wmem}'s 4 MB) cannot hide how much
 * the gateway itself holds for a client that stops reading. Quarkus has no setting of its own for it.
 */
@ApplicationScoped
public class SocketBuffers implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        ConfigProvider.getConfig().getOptionalValue("test.http.send-buffer-size", Integer.class)
                .ifPresent(options::setSendBufferSize);
    }
}
