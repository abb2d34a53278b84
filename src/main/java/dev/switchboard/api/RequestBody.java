package dev.switchboard.api;

import dev.switchboard.error.GatewayError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body straight off the Vert.x request, held to the body-size limit as it arrives (chunked bodies
 * included, which carry no length to check up front).
 *
 * <p>Why not a {@code byte[]} parameter on the resource method: RESTEasy Reactive then looks up a message body reader
 * and copies the body for every request; the benchmark showed that lookup in the profile of the hot path.
 */
final class RequestBody {

    private RequestBody() {
    }

    static Future<Buffer> read(HttpServerRequest request, long limit) {
        Promise<Buffer> read = Promise.promise();
        long length = BodyLimit.declaredLength(request);
        int expected = length < 0 ? 1024 : (int) Math.min(length, limit);
        Buffer body = Buffer.buffer(expected);
        request.handler(chunk -> {
            if (body.length() + (long) chunk.length() > limit) {
                request.handler(null);
                request.response().putHeader("Connection", "close");
                read.tryFail(new GatewayError(413, "request body is larger than the limit of " + limit + " bytes",
                        "request_too_large"));
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(read::tryFail);
        request.endHandler(v -> read.tryComplete(body));
        request.resume();
        return read.future();
    }
}
