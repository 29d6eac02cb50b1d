package org.countersign.visualcodes.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A render request in a JSON body, for messages too long (or too secret) for a query string. */
@Schema(name = "RenderVisualCodeRequest", description = "What to draw; every field but message has a default")
public record RenderVisualCodeRequest(
        @Schema(description = "The text to encode, as UTF-8. At least 1 byte for qr, 3 for colour; the most "
                + "depends on format and ecc (qr: 2953 L, 2331 M, 1663 Q, 1273 H; colour: 8841 L, 6975 M, 4971 Q, 3801 H)",
                required = true, example = "countersign://activate?v=1&sn=SN-0001234567&rid=...")
        String message,
        @Schema(description = "qr, or colour for three QR symbols in the red, green and blue channels",
                enumeration = {"qr", "colour"}, defaultValue = "qr")
        String format,
        @Schema(description = "png or svg", enumeration = {"png", "svg"}, defaultValue = "png")
        String output,
        @Schema(description = "Width and height of the image in pixels, 64 to 4096", defaultValue = "400",
                minimum = "64", maximum = "4096")
        Integer size,
        @Schema(description = "QR error-correction level", enumeration = {"L", "M", "Q", "H"}, defaultValue = "M")
        String ecc,
        @Schema(description = "Quiet zone around the code in modules, 4 to 16", defaultValue = "4",
                minimum = "4", maximum = "16")
        Integer margin) {

    @Override
    public String toString() {
        // The message can be a secret (an activation password): show its length only.
        return "RenderVisualCodeRequest[message=<" + (message == null ? "null" : message.length() + " chars")
                + ">, format=" + format + ", output=" + output + ", size=" + size + ", ecc=" + ecc
                + ", margin=" + margin + "]";
    }
}
