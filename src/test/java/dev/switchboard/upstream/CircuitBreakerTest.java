package dev.switchboard.upstream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private static final long OPEN = 1_000;

    @Test
    void opensAfterTheThresholdAndLetsOneTrialThroughOnceTheOpenPeriodIsOver() {
        CircuitBreaker circuit = new CircuitBreaker(3, OPEN);
        circuit.failure(10);
        circuit.failure(20);
        assertTrue(circuit.claimTrial(25), "below the threshold the circuit is closed");
        circuit.failure(30);
        assertTrue(circuit.open(31));
        assertFalse(circuit.claimTrial(500), "open: no request goes");
        assertTrue(circuit.claimTrial(1_100), "half-open: the first request takes the trial");
        assertFalse(circuit.claimTrial(1_101), "and a second one does not follow it");
        assertTrue(circuit.open(1_102));
    }

    @Test
    void theTrialsOutcomeClosesOrReopensIt() {
        CircuitBreaker circuit = new CircuitBreaker(1, OPEN);
        circuit.failure(10);
        assertTrue(circuit.claimTrial(2_000));
        circuit.failure(2_001);
        assertFalse(circuit.claimTrial(2_500), "a failed trial opens it for another period");
        assertTrue(circuit.claimTrial(3_002));
        circuit.success();
        assertTrue(circuit.claimTrial(3_003) && circuit.claimTrial(3_004), "a successful trial closes it");
    }
}
