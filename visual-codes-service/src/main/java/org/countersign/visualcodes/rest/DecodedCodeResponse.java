package org.countersign.visualcodes.rest;

import java.util.Locale;
import org.countersign.visualcodes.codec.DecodedCode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the decoder found in an image. */
@Schema(name = "DecodedCode")
public record DecodedCodeResponse(
        @Schema(description = "The message the code carries") String message,
        @Schema(description = "The kind of code found", enumeration = {"qr", "colour"}) String format) {

    static DecodedCodeResponse from(DecodedCode code) {
        return new DecodedCodeResponse(code.message(), code.format().name().toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return "DecodedCodeResponse[message=<" + message.length() + " chars>, format=" + format + "]";
    }
}
