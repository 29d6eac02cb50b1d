package org.countersign.visualcodes.domain;

import org.countersign.web.ProblemKind;

/** The business problems of the visual-codes-service; slugs never change meaning (README lists them). */
public enum VisualCodeProblem implements ProblemKind {
    MESSAGE_TOO_LONG("message-too-long", 400, "Message too long for this code"),
    MESSAGE_TOO_SHORT("message-too-short", 400, "Message too short for this code"),
    UNSUPPORTED_FORMAT("unsupported-format", 400, "Unknown code format"),
    UNSUPPORTED_OUTPUT("unsupported-output", 400, "Unknown output format"),
    UNSUPPORTED_ECC("unsupported-ecc", 400, "Unknown error-correction level"),
    SIZE_OUT_OF_RANGE("size-out-of-range", 400, "Image size out of range"),
    MARGIN_OUT_OF_RANGE("margin-out-of-range", 400, "Margin out of range"),
    INVALID_IMAGE("invalid-image", 400, "Not a readable PNG or JPEG image"),
    IMAGE_TOO_LARGE("image-too-large", 413, "Image too large to decode"),
    UNSUPPORTED_IMAGE("unsupported-image", 422, "Image kind not supported"),
    NO_CODE_FOUND("no-code-found", 422, "No code found in the image");

    private final Spec spec;

    VisualCodeProblem(String slug, int status, String title) {
        this.spec = new Spec(slug, status, title);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
