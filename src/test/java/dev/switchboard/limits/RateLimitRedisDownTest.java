package dev.switchboard.limits;

import static dev.switchboard.limits.RateLimitTest.apiRequests;
import static dev.switchboard.limits.RateLimitTest.chat;
import static dev.switchboard.limits.RateLimitTest.isRateLimited;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.RedisServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Redis configured but not there (nothing listens on its port): the gateway starts, answers, and still holds each
 * client to the limit, counting in its own memory.
 */
@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
@TestProfile(RateLimitRedisDownTest.NoRedis.class)
class RateLimitRedisDownTest extends FakeBackendTest {

    public static class NoRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.limits.redis-url", "redis://127.0.0.1:" + RedisServer.freePort(),
                    "switchboard.limits.requests-per-minute", "2");
        }
    }

    @Test
    void theGatewayAnswersAndLimitsInMemory() {
        chat(null).statusCode(200).header("x-ratelimit-remaining-requests", "1");
        chat(null).statusCode(200).header("x-ratelimit-remaining-requests", "0");
        isRateLimited(chat(null));
        assertEquals(2, apiRequests(backend).size(), () -> "backend received " + backend.requests());
    }
}
