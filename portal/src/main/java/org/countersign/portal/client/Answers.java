package org.countersign.portal.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.countersign.portal.domain.ServiceProblemException;
import org.countersign.portal.domain.ServiceUnavailableException;

/**
 * How every client turns a service's answer into the portal's two failures: a problem (4xx, with its
 * stable type) or the service being unavailable (5xx, no connection, no answer in time).
 */
final class Answers {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM_PREFIX = "https://countersign.org/problems/";

    private Answers() {
    }

    /** For {@code @ClientExceptionMapper}: the failure a non-2xx answer stands for. */
    static RuntimeException failure(String service, Response response) {
        int status = response.getStatus();
        if (status >= 500) {
            return new ServiceUnavailableException(service, null);
        }
        return new ServiceProblemException(service, status, problemType(response));
    }

    private static String problemType(Response response) {
        try {
            if (response.hasEntity()) {
                JsonNode problem = JSON.readTree(response.readEntity(String.class));
                String type = problem.path("type").asText("");
                if (type.startsWith(PROBLEM_PREFIX)) {
                    return type.substring(PROBLEM_PREFIX.length());
                }
            }
        } catch (RuntimeException | java.io.IOException e) {
            // Not problem+json: told apart by its status alone.
        }
        return "http-" + response.getStatus();
    }

    /** A call bounded by a timeout, whose transport failures become ServiceUnavailableException. */
    static <T> Uni<T> guarded(String service, Duration timeout, Uni<T> call) {
        return call.ifNoItem().after(timeout).failWith(() -> new ServiceUnavailableException(service, null))
                .onFailure(e -> !(e instanceof ServiceProblemException || e instanceof ServiceUnavailableException))
                .transform(e -> new ServiceUnavailableException(service, e));
    }

    /** Whether a failure is the given problem type. */
    static boolean is(Throwable failure, String type) {
        return failure instanceof ServiceProblemException problem && problem.is(type);
    }
}
