package dev.switchboard.error;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;

/**
 * Every error Switchboard produces itself leaves in OpenAI's envelope: unknown paths, wrong methods, oversized bodies,
 * and anything unexpected.
 */
@ApplicationScoped
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response gateway(GatewayError e) {
        return OpenAiError.response(e.status(), e.getMessage(), e.code());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, HttpServerRequest request) {
        return OpenAiError.response(404, unknownUrl(request), "unknown_url");
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, HttpServerRequest request) {
        Response response = OpenAiError.response(405,
                request.method() + " is not allowed on " + request.path(), "method_not_allowed");
        String allow = e.getResponse().getHeaderString("Allow");
        return allow == null ? response : Response.fromResponse(response).header("Allow", allow).build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return OpenAiError.response(status, e.getMessage(), null);
    }

    /** RuntimeException, not Throwable: I/O failures (a client gone, a chunked body over Quarkus's limit) are
     * answered by Quarkus itself, often after the response was written. */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected failure", e);
        return OpenAiError.response(500, "internal error in Switchboard", "internal_error");
    }

    /**
     * Requests that no route takes (outside the REST resources), and failures raised below them (Quarkus's own
     * body-size limit answers 413 this way), get the same envelope instead of Vert.x's plain text.
     */
    void install(@Observes Router router) {
        router.route().order(Integer.MAX_VALUE).handler(rc ->
                OpenAiError.send(rc.response(), 404, unknownUrl(rc.request()), "unknown_url"));
        router.route().order(Integer.MIN_VALUE + 1).failureHandler(rc -> {
            int status = rc.statusCode() > 0 ? rc.statusCode() : 500;
            if (status == 413) {
                OpenAiError.send(rc.response(), 413, "request body is larger than the limit", "request_too_large");
            } else if (rc.failure() != null && status == 500) {
                LOG.error("unexpected failure", rc.failure());
                OpenAiError.send(rc.response(), 500, "internal error in Switchboard", "internal_error");
            } else {
                OpenAiError.send(rc.response(), status, "request failed with HTTP " + status, null);
            }
        });
    }

    private static String unknownUrl(HttpServerRequest request) {
        return "no such endpoint: " + request.method() + " " + request.path();
    }
}
