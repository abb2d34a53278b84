package dev.switchboard.limits;

import static dev.switchboard.limits.RateLimitTest.apiRequests;
import static dev.switchboard.limits.RateLimitTest.chat;
import static dev.switchboard.limits.RateLimitTest.isRateLimited;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.InjectRedisServer;
import dev.switchboard.testsupport.RedisServer;
import dev.switchboard.testsupport.RedisServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Shared mode: the counters in a real {@code redis-server}, per client address (no gateway keys), 3 requests and
 * 1000 tokens per minute. Two gateways cannot run in one test JVM, so the other replica is played by the test
 * writing the counters in Redis, as a replica would.
 */
@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
@WithTestResource(RedisServerResource.class)
@TestProfile(RateLimitRedisTest.Limits.class)
@EnabledIf(value = "dev.switchboard.testsupport.RedisServer#installed",
        disabledReason = "redis-server is not installed (apt-get install redis-server; .ci/run installs it)")
class RateLimitRedisTest extends FakeBackendTest {

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a generous Redis timeout: on a loaded 2-core machine a 250 ms call can time out, and the gateway then
            // (rightly) counts in memory, which these tests would read as Redis not being used
            return Map.of("switchboard.limits.requests-per-minute", "3",
                    "switchboard.limits.tokens-per-minute", "1000",
                    "switchboard.limits.redis-timeout", "5s");
        }
    }

    @InjectRedisServer
    RedisServer redis;

    @BeforeEach
    void emptyRedis() {
        redis.call("FLUSHALL");
    }

    /** The one client hash the gateway wrote (this test's address), after one request. */
    private String clientKey() {
        @SuppressWarnings("unchecked")
        List<Object> keys = (List<Object>) redis.call("KEYS", RedisCounters.PREFIX + "*");
        assertEquals(1, keys.size(), () -> "keys " + keys);
        String key = (String) keys.get(0);
        assertTrue(key.startsWith("switchboard:limits:ip:"), key);
        return key;
    }

    private Object awaitField(String key, String field, String expected) throws InterruptedException {
        Object value = null;
        for (int i = 0; i < 100 && !expected.equals(value); i++) {
            value = redis.call("HGET", key, field);
            Thread.sleep(20);
        }
        return value;
    }

    @Test
    void theGatewaysRequestsAndTokensAreCountedInRedis() throws InterruptedException {
        chat(null).statusCode(200)
                .header("x-ratelimit-limit-requests", "3")
                .header("x-ratelimit-remaining-requests", "2");
        String key = clientKey();
        assertEquals("1", redis.call("HGET", key, "requests"));
        long ttl = (Long) redis.call("PTTL", key);
        assertTrue(ttl > 0 && ttl <= 60_000, "window expiry " + ttl);
        assertEquals("33", awaitField(key, "tokens", "33")); // chat_basic's usage.total_tokens

        chat(null).statusCode(200).header("x-ratelimit-remaining-requests", "1")
                .header("x-ratelimit-remaining-tokens", "967");
        assertEquals("2", redis.call("HGET", key, "requests"));
    }

    @Test
    void requestsAnotherReplicaCountedAreHonoured() {
        chat(null).statusCode(200);
        String key = clientKey();
        redis.call("HINCRBY", key, "requests", "2"); // another replica let in two more

        isRateLimited(chat(null))
                .header("x-ratelimit-remaining-requests", "0")
                .body("error.message", containsString("requests per minute: limit 3, used 3"));
        assertEquals(1, apiRequests(backend).size(), () -> "backend received " + backend.requests());
        assertEquals("3", redis.call("HGET", key, "requests"), "a refused request is not counted");
    }

    @Test
    void tokensAnotherReplicaCountedAreHonoured() {
        chat(null).statusCode(200);
        String key = clientKey();
        redis.call("HINCRBY", key, "tokens", "1000"); // another replica's answers used the rest

        isRateLimited(chat(null))
                .header("x-ratelimit-remaining-tokens", "0")
                .body("error.message", containsString("tokens per minute: limit 1000"));
        assertEquals(1, apiRequests(backend).size(), () -> "backend received " + backend.requests());
    }

    @Test
    void theWindowEndsWithTheRedisKey() {
        chat(null).statusCode(200);
        String key = clientKey();
        redis.call("HSET", key, "requests", "3");
        isRateLimited(chat(null));

        redis.call("DEL", key); // the window's expiry
        chat(null).statusCode(200).header("x-ratelimit-remaining-requests", "2");
        assertEquals(2, apiRequests(backend).size(), () -> "backend received " + backend.requests());
    }

    @Test
    void aCounterLeftWithoutExpiryGetsOne() {
        chat(null).statusCode(200);
        String key = clientKey();
        redis.call("PERSIST", key);
        redis.call("HSET", key, "requests", "3");
        isRateLimited(chat(null));
        long ttl = (Long) redis.call("PTTL", key);
        assertTrue(ttl > 0 && ttl <= 60_000, "window expiry " + ttl);
    }
}
