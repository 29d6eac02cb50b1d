package org.countersign.visualcodes.codec.internal;

import com.google.zxing.LuminanceSource;

/** One 8-bit plane (a grey image or one colour channel) as ZXing reads it. */
public final class GreyLuminanceSource extends LuminanceSource {

    private final byte[] plane;

    public GreyLuminanceSource(byte[] plane, int width, int height) {
        super(width, height);
        this.plane = plane;
    }

    @Override
    public byte[] getRow(int y, byte[] row) {
        int width = getWidth();
        byte[] out = row != null && row.length >= width ? row : new byte[width];
        System.arraycopy(plane, y * width, out, 0, width);
        return out;
    }

    @Override
    public byte[] getMatrix() {
        return plane;
    }
}
