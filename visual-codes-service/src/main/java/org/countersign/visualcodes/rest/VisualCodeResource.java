package org.countersign.visualcodes.rest;

import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Objects;
import org.countersign.visualcodes.domain.RenderedImage;
import org.countersign.visualcodes.service.VisualCodeService;
import org.countersign.web.Caller;
import org.countersign.web.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Draws QR and colour codes and reads them back. The methods return plain values and are
 * {@link Blocking}: rendering and decoding are CPU work for worker threads, never the event loop.
 */
@Path("/api/v1/visual-codes")
@Tag(name = "visual-codes")
@RolesAllowed({"${countersign.web.scope}", Caller.ADMIN_SCOPE})
@APIResponse(responseCode = "401", description = "No valid bearer token",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "The token lacks the visual-codes or admin scope",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class VisualCodeResource {

    static final String PNG = "image/png";
    static final String SVG = "image/svg+xml";
    static final String JPEG = "image/jpeg";
    // Activation images carry secrets: no cache of any kind may keep them.
    private static final String NO_STORE = "no-store";

    private final VisualCodeService service;

    public VisualCodeResource(VisualCodeService service) {
        this.service = service;
    }

    @GET
    @Blocking
    @Produces({PNG, SVG})
    @Operation(summary = "Draw a message as a QR or colour code",
            description = "Answers the image itself, with Cache-Control: no-store. A query string can end up in "
                    + "proxy logs: for secrets (activation messages) prefer the POST form.")
    @APIResponse(responseCode = "200", description = "The image",
            content = {@Content(mediaType = PNG, schema = @Schema(type = SchemaType.STRING, format = "binary")),
                    @Content(mediaType = SVG, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", description = "A parameter is missing, unknown or out of range, or the "
            + "message does not fit the chosen code (message-too-long says the maximum)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response render(
            @Parameter(description = "The text to encode (UTF-8)", required = true) @QueryParam("message") String message,
            @Parameter(description = "qr or colour", schema = @Schema(enumeration = {"qr", "colour"}, defaultValue = "qr"))
            @QueryParam("format") String format,
            @Parameter(description = "png or svg", schema = @Schema(enumeration = {"png", "svg"}, defaultValue = "png"))
            @QueryParam("output") String output,
            @Parameter(description = "Image width and height in pixels, 64 to 4096",
                    schema = @Schema(type = SchemaType.INTEGER, defaultValue = "400", minimum = "64", maximum = "4096"))
            @QueryParam("size") String size,
            @Parameter(description = "Error-correction level",
                    schema = @Schema(enumeration = {"L", "M", "Q", "H"}, defaultValue = "M"))
            @QueryParam("ecc") String ecc,
            @Parameter(description = "Quiet zone in modules, 4 to 16",
                    schema = @Schema(type = SchemaType.INTEGER, defaultValue = "4", minimum = "4", maximum = "16"))
            @QueryParam("margin") String margin) {
        return image(service.render(message, format, output, size, ecc, margin));
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({PNG, SVG})
    @Operation(summary = "Draw a message given in a JSON body",
            description = "The same as GET, for long or secret messages. Answers the image with Cache-Control: no-store.")
    @APIResponse(responseCode = "200", description = "The image",
            content = {@Content(mediaType = PNG, schema = @Schema(type = SchemaType.STRING, format = "binary")),
                    @Content(mediaType = SVG, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", description = "A field is missing, unknown, of the wrong type or out of range, "
            + "or the message does not fit the chosen code (message-too-long says the maximum)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "The body is larger than the service accepts for JSON",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body is not JSON",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response renderPosted(RenderVisualCodeRequest request) {
        if (request == null) {
            return image(service.render(null, null, null, null, null, null));
        }
        return image(service.render(request.message(), request.format(), request.output(),
                Objects.toString(request.size(), null), request.ecc(), Objects.toString(request.margin(), null)));
    }

    @POST
    @Path("decode")
    @Blocking
    @Consumes({PNG, JPEG})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Read the QR or colour code in an image",
            description = "The body is the PNG or JPEG file itself (Content-Type image/png or image/jpeg), up to "
                    + "4 MiB, 16 million pixels and 8192 pixels a side, PNG of up to 8 bits per sample, baseline or "
                    + "progressive 8-bit JPEG of up to 64 scans. Photos work: scaled, slightly blurred, on a background. A few decodes run at once; the rest "
                    + "wait briefly, then get 503 with Retry-After.")
    @RequestBody(required = true, content = {
            @Content(mediaType = PNG, schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = JPEG, schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "200", description = "The message and the kind of code",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = DecodedCodeResponse.class)))
    @APIResponse(responseCode = "400", description = "The body is empty or not a readable PNG or JPEG (invalid-image)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "The file is larger than the upload limit (payload-too-large) "
            + "or the image has too many pixels, too long a side or, a JPEG, too many scans (image-too-large)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The Content-Type is neither image/png nor image/jpeg",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The image holds no readable QR or colour code (no-code-found), "
            + "or is of a kind the decoder does not read: 16-bit PNG, lossless, arithmetic-coded, 12-bit or CMYK JPEG "
            + "(unsupported-image)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Too many images are being decoded; retry after Retry-After seconds "
            + "(service-unavailable)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response decode(byte[] request) {
        return Response.ok(DecodedCodeResponse.from(service.decode(request)), MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, NO_STORE).build();
    }

    private static Response image(RenderedImage image) {
        return Response.ok(image.bytes(), image.mediaType())
                .header(HttpHeaders.CACHE_CONTROL, NO_STORE)
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }
}
