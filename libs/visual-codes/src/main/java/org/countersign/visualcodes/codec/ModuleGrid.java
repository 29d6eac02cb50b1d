package org.countersign.visualcodes.codec;

/**
 * A code as a square of modules, quiet zone included, each module an index into a small palette of
 * RGB colours. The writers turn it into pixels; nothing here knows about image formats.
 */
public final class ModuleGrid {

    private final int side;
    private final byte[] cells;
    private final int[] palette;

    ModuleGrid(int side, byte[] cells, int[] palette) {
        this.side = side;
        this.cells = cells;
        this.palette = palette.clone();
    }

    /** Modules per side, quiet zone included. */
    public int side() {
        return side;
    }

    public int paletteIndex(int x, int y) {
        return cells[y * side + x];
    }

    public int paletteSize() {
        return palette.length;
    }

    /** The colour of a palette entry as 0xRRGGBB. */
    public int rgb(int paletteIndex) {
        return palette[paletteIndex];
    }

    /** The palette entry of the quiet zone. */
    public int backgroundIndex() {
        return cells[0];
    }
}
