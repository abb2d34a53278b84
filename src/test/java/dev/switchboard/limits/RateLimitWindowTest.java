package dev.switchboard.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The in-memory window, the reset times as OpenAI writes them, and a Redis URL's password kept out of the log. */
class RateLimitWindowTest {

    @Test
    void aWindowCountsUntilItEndsThenStartsAgain() throws InterruptedException {
        LocalCounters counters = new LocalCounters(200);
        assertTrue(counters.admitNow("a", 2, 0).admitted());
        Window second = counters.admitNow("a", 2, 0);
        assertTrue(second.admitted());
        assertEquals(2, second.requests());
        Window third = counters.admitNow("a", 2, 0);
        assertFalse(third.admitted());
        assertEquals(2, third.requests(), "a refused request is not counted");
        assertTrue(third.resetMs() > 0 && third.resetMs() <= 200, "reset " + third.resetMs());
        assertTrue(counters.admitNow("b", 2, 0).admitted(), "clients are counted apart");

        Thread.sleep(250);
        Window next = counters.admitNow("a", 2, 0);
        assertTrue(next.admitted());
        assertEquals(1, next.requests());
        Thread.sleep(250);
        counters.sweep();
        assertEquals(0, counters.size(), "ended windows are dropped");
    }

    @Test
    void tokensRefuseOnceTheyReachTheLimit() {
        LocalCounters counters = new LocalCounters(60_000);
        assertTrue(counters.admitNow("a", 0, 100).admitted());
        counters.record("a", 99);
        assertTrue(counters.admitNow("a", 0, 100).admitted());
        counters.record("a", 1);
        Window refused = counters.admitNow("a", 0, 100);
        assertFalse(refused.admitted());
        assertEquals(100, refused.tokens());
    }

    @Test
    void resetTimesAreWrittenTheWayOpenAiWritesThem() {
        assertEquals("0ms", RateLimits.duration(0));
        assertEquals("250ms", RateLimits.duration(250));
        assertEquals("1s", RateLimits.duration(1000));
        assertEquals("59.948s", RateLimits.duration(59_948));
        assertEquals("6.5s", RateLimits.duration(6_500));
        assertEquals("1m0s", RateLimits.duration(60_000));
        assertEquals("1m1.2s", RateLimits.duration(61_200));
    }

    @Test
    void theLogNeverShowsARedisPassword() {
        assertEquals("redis://***@cache:6379/0", RateLimits.redacted("redis://:s3cret@cache:6379/0"));
        assertEquals("redis://127.0.0.1:6379", RateLimits.redacted("redis://127.0.0.1:6379"));
    }
}
