package org.countersign.visualcodes.codec;

import java.util.Locale;

/**
 * Writes a {@link ModuleGrid} as SVG: a white square, then one path per colour made of the
 * horizontal runs of that colour's modules, one user unit per module. {@code size} sets the width
 * and height; the viewBox scales the modules to it.
 */
public final class SvgWriter {

    private SvgWriter() {
    }

    public static String write(ModuleGrid grid, int size) throws ImageSizeException {
        PngWriter.modulePixels(grid, size);
        int side = grid.side();
        StringBuilder svg = new StringBuilder(64 * side);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(size)
                .append("\" height=\"").append(size).append("\" viewBox=\"0 0 ").append(side).append(' ')
                .append(side).append("\" shape-rendering=\"crispEdges\">");
        int background = grid.backgroundIndex();
        svg.append("<rect width=\"").append(side).append("\" height=\"").append(side).append("\" fill=\"")
                .append(hex(grid.rgb(background))).append("\"/>");
        for (int colour = 0; colour < grid.paletteSize(); colour++) {
            if (colour == background) {
                continue;
            }
            StringBuilder d = new StringBuilder();
            for (int y = 0; y < side; y++) {
                int x = 0;
                while (x < side) {
                    if (grid.paletteIndex(x, y) != colour) {
                        x++;
                        continue;
                    }
                    int start = x;
                    while (x < side && grid.paletteIndex(x, y) == colour) {
                        x++;
                    }
                    d.append('M').append(start).append(' ').append(y).append('h').append(x - start)
                            .append("v1h-").append(x - start).append('z');
                }
            }
            if (!d.isEmpty()) {
                svg.append("<path fill=\"").append(hex(grid.rgb(colour))).append("\" d=\"").append(d).append("\"/>");
            }
        }
        return svg.append("</svg>").toString();
    }

    private static String hex(int rgb) {
        return String.format(Locale.ROOT, "#%06x", rgb);
    }
}
