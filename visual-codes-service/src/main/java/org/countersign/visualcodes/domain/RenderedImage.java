package org.countersign.visualcodes.domain;

/** A drawn code, ready to send: its bytes and their media type. */
public record RenderedImage(byte[] bytes, String mediaType) {

    @Override
    public String toString() {
        // The image carries the message, which can be a secret.
        return "RenderedImage[" + mediaType + ", " + bytes.length + " bytes]";
    }
}
