package org.countersign.otp.domain;

import org.countersign.web.ProblemKind;

/** The otp-service's business problems; slugs and statuses never change meaning. */
public enum OtpProblem implements ProblemKind {
    UNKNOWN_CREDENTIAL("unknown-credential", 404, "Unknown credential"),
    /** The PIN policy's rules, one type each, so a client can tell the user which one; never the PIN. */
    PIN_TOO_SHORT("pin-too-short", 400, "PIN too short"),
    PIN_TOO_LONG("pin-too-long", 400, "PIN too long"),
    PIN_NOT_DIGITS("pin-not-digits", 400, "PIN must be digits only"),
    PIN_CHARACTERS("pin-characters", 400, "PIN holds a character that is not allowed"),
    /** Offline signing: the credential (an imported token, or an instance from before IS was kept) cannot sign. */
    SIGNING_NOT_SUPPORTED("signing-not-supported", 409, "The credential cannot sign transactions"),
    /** Offline signing or OCRA: the user has several credentials that qualify and the request named none. */
    AMBIGUOUS_CREDENTIAL("ambiguous-credential", 409, "Several credentials qualify; name one with serialNumber"),
    /** OCRA: the credential named, or every one of the user's, has no OCRA suite (it is an HOTP or TOTP credential). */
    CHALLENGE_RESPONSE_NOT_SUPPORTED("challenge-response-not-supported", 409,
            "The credential does not do OCRA challenge-response"),
    /** OCRA: the token's suite needs what the service cannot supply (a PIN hash P, session information S, a counter and a time step together). */
    OCRA_SUITE_NOT_SUPPORTED("ocra-suite-not-supported", 409, "The token's OCRA suite is not supported"),
    /** A message or field breaks a dataHash rule (protocol.md): '=' or a line break in a name, a line break in a value. */
    INVALID_TRANSACTION_DATA("invalid-transaction-data", 400, "The transaction data breaks a rule of the protocol"),
    /** The signing payload as sealed would not fit a scannable colour code. */
    SIGNING_PAYLOAD_TOO_LARGE("signing-payload-too-large", 400, "The message and fields are too large to sign"),
    /** No signing or OCRA challenge of that id in the caller's domain (another domain's is unknown too). */
    UNKNOWN_CHALLENGE("unknown-challenge", 404, "Unknown challenge");

    private final Spec spec;

    OtpProblem(String slug, int status, String title) {
        this.spec = new Spec(slug, status, title);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
