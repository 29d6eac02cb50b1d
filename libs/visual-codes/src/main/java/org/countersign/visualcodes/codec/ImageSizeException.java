package org.countersign.visualcodes.codec;

/** The requested image is too small to give each module at least one pixel. */
public final class ImageSizeException extends Exception {

    private final int minPixels;

    ImageSizeException(int minPixels) {
        super("The image needs at least " + minPixels + " pixels per side", null, false, false);
        this.minPixels = minPixels;
    }

    public int minPixels() {
        return minPixels;
    }
}
