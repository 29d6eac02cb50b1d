package org.countersign.provisioning.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.countersign.web.Ids;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The bodies of the online activation calls (protocol.md, "Online activation"). */
final class OnlineActivationDtos {

    /** base64url without padding, as protocol.md writes every binary value. */
    static final String BASE64URL = "[A-Za-z0-9_-]+";

    private OnlineActivationDtos() {
    }

    @Schema(name = "OnlineActivationRequest")
    record EnrolRequest(
            @Schema(description = "The registration id (rid) of the enrolment URI") @NotNull @Pattern(regexp = Ids.ID)
            String registrationId,
            @Schema(description = "The PKCS#10 CSR, base64url of its DER: a P-256 key, subject exactly CN=<sn>, SHA256withECDSA")
            @NotNull @Size(max = 6000) String csr,
            @Schema(description = "base64url(HMAC-SHA256(AP, \"countersign/v1/enroll|\" + rid + \"|\" + h)), h = base64url(SHA-256(csr))")
            @NotNull @Size(max = 100) String proof,
            @Schema(description = "Where the device receives push wake-ups", enumeration = {"android", "ios", "web", "other"})
            @NotNull @Pattern(regexp = "android|ios|web|other") String platform,
            @Schema(description = "The FCM or APNs token, if the device has one; not a secret")
            @Size(min = 1, max = 4096) @Pattern(regexp = "[\\x21-\\x7E]+", message = "must be printable ASCII without spaces")
            String pushToken,
            @Schema(description = "A name the user gives the device, shown in device lists")
            @Size(min = 1, max = 100) @Pattern(regexp = "[^\\p{Cntrl}]+", message = "must hold no control characters")
            String deviceName,
            @Schema(description = "Whether the app protects its key with biometrics") @NotNull Boolean biometric) {

        @Override
        public String toString() {
            return "EnrolRequest[" + registrationId + ", proof hidden]";
        }
    }

    @Schema(name = "OnlineActivationResponse")
    record EnrolResponse(
            @Schema(description = "The instance id (iid); for a migration the existing instance's") String instanceId,
            @Schema(description = "The device certificate, base64url DER") String certificate,
            @Schema(description = "The internal CA's certificate, base64url DER") String caCertificate,
            @Schema(description = "The OTP parameters (protocol.md)") String otp,
            @Schema(description = "The server's ephemeral P-256 point, base64url (absent for a migration)") String epk,
            @Schema(description = "The AEAD nonce, base64url (absent for a migration)") String n,
            @Schema(description = "IS sealed to the device key, base64url (absent for a migration)") String c,
            @Schema(description = "Where the device opens its push channel") String pushChannel) {
    }

    @Schema(name = "OnlineConfirmationRequest")
    record ConfirmRequest(
            @Schema(description = "The instance id the enrolment answered") @NotNull @Pattern(regexp = Ids.ID) String instanceId,
            @Schema(description = "DT(HMAC(K_proof, \"countersign/v1/activate|\" + rid + \"|\" + iid + \"|\" + h), 8)", example = "12345678")
            @NotNull @Pattern(regexp = "[0-9]{8}", message = "must be 8 digits") String code,
            @Schema(description = "base64url DER ECDSA P-256 SHA-256 over \"countersign/v1/confirm|\" + rid + \"|\" + iid + \"|\" + code")
            @NotNull @Size(max = 200) @Pattern(regexp = BASE64URL, message = "must be base64url") String signature) {

        @Override
        public String toString() {
            return "ConfirmRequest[" + instanceId + ", hidden]";
        }
    }
}
