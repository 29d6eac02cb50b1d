package org.countersign.web.internal;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.countersign.web.Problem;
import org.countersign.web.ProblemException;
import org.countersign.web.ProblemResponses;
import org.countersign.web.ProblemType;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure that reaches JAX-RS into application/problem+json. Details are written here,
 * never taken from exception messages, which can quote input (and input can be a secret).
 */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);
    private static final String BEARER_CHALLENGE = "Bearer realm=\"countersign\"";

    private final ProblemResponses responses;
    private final AllowedMethods allowedMethods;

    public ProblemExceptionMappers(ProblemResponses responses, AllowedMethods allowedMethods) {
        this.responses = responses;
        this.allowedMethods = allowedMethods;
    }

    @ServerExceptionMapper
    public Response business(ProblemException e, UriInfo uri) {
        return responses.response(Problem.of(e.kind(), e.getMessage(), path(uri)), e.headers());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        boolean ourFault = e.getConstraintViolations().stream()
                .anyMatch(v -> kinds(v.getPropertyPath()).contains(ElementKind.RETURN_VALUE));
        if (ourFault) {
            return internal(e, uri);
        }
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message))
                .toList();
        return responses.response(Problem.of(ProblemType.VALIDATION,
                errors.size() + " field(s) are invalid", path(uri), errors), Map.of());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return responses.response(malformed(e, path(uri)), Map.of());
    }

    // RESTEasy Reactive ships a mapper of its own for this subtype; ours must be as specific to win.
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response jsonParse(JsonParseException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response notAllowed(jakarta.ws.rs.NotAllowedException e, UriInfo uri) {
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        if (allow == null && uri != null) {
            allow = allowedMethods.forPath(uri.getPath());
        }
        Map<String, String> headers = allow == null ? Map.of() : Map.of(HttpHeaders.ALLOW, allow);
        return responses.response(Problem.of(ProblemType.METHOD_NOT_ALLOWED,
                detailFor(ProblemType.METHOD_NOT_ALLOWED), path(uri)), headers);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return responses.response(Problem.of(ProblemType.UNAUTHORIZED,
                "A bearer token is required", path(uri)), Map.of(HttpHeaders.WWW_AUTHENTICATE, BEARER_CHALLENGE));
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return responses.response(Problem.of(ProblemType.UNAUTHORIZED,
                        "The bearer token is invalid or expired", path(uri)),
                Map.of(HttpHeaders.WWW_AUTHENTICATE, BEARER_CHALLENGE + ", error=\"invalid_token\""));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return responses.response(Problem.of(ProblemType.FORBIDDEN,
                "The token lacks a scope this operation needs", path(uri)), Map.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                return json(json, uri);
            }
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return internal(e, uri);
        }
        ProblemType type = ProblemType.forStatus(status);
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        Map<String, String> headers = allow == null ? Map.of() : Map.of(HttpHeaders.ALLOW, allow);
        return responses.response(Problem.of(type, detailFor(type), path(uri)), headers);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        return internal(e, uri);
    }

    private Response internal(Throwable e, UriInfo uri) {
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected failure, incident %s", incident);
        return responses.response(Problem.of(ProblemType.INTERNAL,
                "An unexpected error occurred; quote incident " + incident, path(uri)), Map.of());
    }

    static String detailFor(ProblemType type) {
        return switch (type) {
            case NOT_FOUND -> "No resource at this path";
            case METHOD_NOT_ALLOWED -> "This resource does not support the method";
            case UNSUPPORTED_MEDIA_TYPE -> "This resource does not accept the request's Content-Type";
            case NOT_ACCEPTABLE -> "This resource cannot answer in a media type the Accept header allows";
            case PAYLOAD_TOO_LARGE -> "The request body is larger than this service accepts";
            default -> type.title();
        };
    }

    static Problem malformed(JsonProcessingException e, String instance) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return Problem.of(ProblemType.VALIDATION, "The body has a field this operation does not know", instance,
                    List.of(new Problem.FieldError(jsonPath(unknown), "unknown field")));
        }
        if (e instanceof InvalidFormatException || (e instanceof MismatchedInputException && !jsonPath(
                (JsonMappingException) e).equals("body"))) {
            String expected = ((MismatchedInputException) e).getTargetType() == null ? "another type"
                    : describe(((MismatchedInputException) e).getTargetType());
            return Problem.of(ProblemType.VALIDATION, "A field of the body has the wrong type", instance,
                    List.of(new Problem.FieldError(jsonPath((JsonMappingException) e), "must be " + expected)));
        }
        if (e instanceof JsonParseException || e instanceof MismatchedInputException) {
            return Problem.of(ProblemType.MALFORMED_BODY, "The body is not well-formed JSON of the expected shape",
                    instance);
        }
        return Problem.of(ProblemType.MALFORMED_BODY, "The body could not be read", instance);
    }

    private static String describe(Class<?> type) {
        if (type == String.class || type.isEnum()) {
            return type.isEnum() ? "one of the documented values" : "a string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder("body");
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String fieldOf(ConstraintViolation<?> violation) {
        List<String> names = new ArrayList<>();
        boolean body = false;
        for (Path.Node node : violation.getPropertyPath()) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, CROSS_PARAMETER -> { }
                case PARAMETER -> {
                    body = true;
                    names.add(node.getName());
                }
                default -> {
                    // Hibernate Validator puts a list index on the node inside the element, so
                    // licences[0].maxActivations arrives as licences, then maxActivations with index 0.
                    if (node.isInIterable() && !names.isEmpty()) {
                        Object position = node.getIndex() != null ? node.getIndex() : node.getKey();
                        if (position != null) {
                            names.set(names.size() - 1, names.get(names.size() - 1) + "[" + position + "]");
                        }
                    }
                    if (node.getName() != null) {
                        names.add(node.getName());
                    }
                }
            }
        }
        // A violation inside a request record reads "register.request.userId": the parameter name of
        // the body is our own and means nothing to a client, so it becomes "body". Resources name
        // their body parameter "request" (a convention), which also covers a missing body.
        if (body && (names.size() > 1 || "request".equals(names.get(0)))) {
            names.set(0, "body");
        }
        return String.join(".", names).replace(".[", "[");
    }

    private static List<ElementKind> kinds(Path path) {
        List<ElementKind> kinds = new ArrayList<>();
        path.forEach(node -> kinds.add(node.getKind()));
        return kinds;
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }
}
