package org.countersign.otp.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** accepted (with the token that matched) or rejected, which never says why. */
@Schema(name = "VerifyOtpResponse")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerifyOtpResponse(
        @Schema(enumeration = {"accepted", "rejected"}) String result,
        @Schema(description = "The token that matched, when accepted") String serialNumber) {
}
