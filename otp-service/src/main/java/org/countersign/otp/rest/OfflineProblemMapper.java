package org.countersign.otp.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.countersign.otp.domain.RefreshTooSoon;
import org.countersign.web.Problem;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A refresh refused as too soon is an ordinary problem with one member more, {@code nextRefreshAt}
 * (RFC 9457 extension member), beside its {@code Retry-After}: a client need not parse the detail.
 */
public class OfflineProblemMapper {

    /** The problem's members and the extension. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RefreshTooSoonProblem(URI type, String title, int status, String detail, String instance, String nextRefreshAt) {
    }

    private final ObjectMapper mapper;

    public OfflineProblemMapper(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @ServerExceptionMapper
    public Response refreshTooSoon(RefreshTooSoon e, UriInfo uri) throws JsonProcessingException {
        RefreshTooSoonProblem body = new RefreshTooSoonProblem(e.kind().type(), e.kind().title(), e.kind().status(), e.getMessage(),
                uri == null ? null : uri.getPath(), e.nextRefreshAt().toString());
        Response.ResponseBuilder response = Response.status(e.kind().status()).type(Problem.MEDIA_TYPE)
                .entity(mapper.writeValueAsString(body));
        e.headers().forEach(response::header);
        return response.build();
    }
}
