package org.countersign.visualcodes.codec;

/** The kinds of image this codec draws and reads. */
public enum CodeFormat {
    /** One QR symbol, black on white. */
    QR,
    /** Three QR symbols in the red, green and blue channels (protocol.md, "Colour code"). */
    COLOUR
}
