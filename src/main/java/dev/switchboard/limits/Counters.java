package dev.switchboard.limits;

import io.vertx.core.Future;

/** Where the counts of each client live: this replica's memory, or Redis shared by every replica. */
interface Counters {

    /**
     * Counts a request of {@code client} if neither count has reached its limit (a limit {@code <= 0} is none);
     * otherwise counts nothing and says it is refused. Never fails.
     */
    Future<Window> admit(String client, long requestLimit, long tokenLimit);

    /** Adds the tokens of an answer that ended. */
    void record(String client, long tokens);
}
