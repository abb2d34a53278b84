package dev.switchboard.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.vertx.core.MultiMap;

class HopByHopTest {

    @Test
    void hopByHopNamesInAnyCase() {
        for (String name : new String[] {"Connection", "keep-alive", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
                "Proxy-Authorization", "Proxy-Authenticate", "Proxy-Connection", "HOST", "Content-Length",
                "Accept-Encoding"}) {
            assertTrue(HopByHop.isHopByHop(name), name);
        }
        for (String name : new String[] {"Authorization", "Content-Type", "Accept", "X-Request-Id", "te-x", "hosts"}) {
            assertFalse(HopByHop.isHopByHop(name), name);
        }
    }

    @Test
    void copiesEndToEndHeadersAndDropsThoseNamedInConnection() {
        MultiMap from = MultiMap.caseInsensitiveMultiMap()
                .add("Authorization", "Bearer k").add("Connection", "keep-alive, X-Hop").add("X-Hop", "1")
                .add("X-Keep", "a").add("X-Keep", "b").add("Transfer-Encoding", "chunked");
        MultiMap to = MultiMap.caseInsensitiveMultiMap();
        HopByHop.copyEndToEnd(from, to);
        assertEquals("Bearer k", to.get("authorization"));
        assertEquals(2, to.getAll("x-keep").size());
        assertFalse(to.contains("X-Hop"));
        assertFalse(to.contains("Connection"));
        assertFalse(to.contains("Transfer-Encoding"));
    }
}
