package org.countersign.visualcodes.domain;

/** The image formats a code is drawn in. */
public enum OutputType {
    PNG("image/png"),
    SVG("image/svg+xml");

    private final String mediaType;

    OutputType(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }
}
