package org.countersign.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * Serialises problems the same way for JAX-RS, for raw Vert.x handlers and for a service's own
 * early checks (such as a body limit of its own). We write the JSON
 * ourselves so that the body never depends on which writer a media type happens to select.
 */
@ApplicationScoped
public class ProblemResponses {

    private static final String FALLBACK =
            "{\"type\":\"https://countersign.org/problems/internal\",\"title\":\"Internal error\",\"status\":500}";

    private final ObjectMapper mapper;

    public ProblemResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String json(Problem problem) {
        try {
            return mapper.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            return FALLBACK;
        }
    }

    public Response response(Problem problem, Map<String, String> headers) {
        Response.ResponseBuilder builder = Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(json(problem));
        headers.forEach(builder::header);
        return builder.build();
    }
}
