package dev.switchboard.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;

import org.junit.jupiter.api.Test;

class BackendTest {

    @Test
    void healthLivesAtTheRootBesideV1() {
        assertEquals("http://h:8080/health", Backend.defaultHealthUri(URI.create("http://h:8080/v1")).toString());
        assertEquals("http://h:8080/health", Backend.defaultHealthUri(URI.create("http://h:8080")).toString());
        assertEquals("https://p.example/zen/health",
                Backend.defaultHealthUri(URI.create("https://p.example/zen/v1")).toString());
    }
}
