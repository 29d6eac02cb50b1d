package org.countersign.visualcodes.rest;

import java.awt.image.BufferedImage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Draws the SVG this service writes (a background rect and one path of unit-high runs per colour)
 * into pixels. It understands that shape only, and fails on anything else rather than guess.
 */
final class SvgRaster {

    private static final Pattern VIEW_BOX = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"");
    private static final Pattern BACKGROUND = Pattern.compile("<rect width=\"(\\d+)\" height=\"(\\d+)\" fill=\"#([0-9a-f]{6})\"/>");
    private static final Pattern PATH = Pattern.compile("<path fill=\"#([0-9a-f]{6})\" d=\"([^\"]*)\"/>");
    private static final Pattern RUN = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");

    private SvgRaster() {
    }

    static BufferedImage draw(String svg, int pixelsPerUnit) {
        Matcher box = VIEW_BOX.matcher(svg);
        Matcher background = BACKGROUND.matcher(svg);
        if (!box.find() || !background.find()) {
            throw new AssertionError("Not our SVG: no viewBox or background");
        }
        int side = Integer.parseInt(box.group(1));
        BufferedImage image = new BufferedImage(side * pixelsPerUnit, side * pixelsPerUnit, BufferedImage.TYPE_INT_RGB);
        fill(image, 0, 0, side, side, Integer.parseInt(background.group(3), 16), pixelsPerUnit);
        Matcher path = PATH.matcher(svg);
        int paths = 0;
        while (path.find()) {
            paths++;
            int rgb = Integer.parseInt(path.group(1), 16);
            String d = path.group(2);
            Matcher run = RUN.matcher(d);
            int consumed = 0;
            while (run.find()) {
                if (run.start() != consumed || !run.group(3).equals(run.group(4))) {
                    throw new AssertionError("Unexpected path data at " + consumed);
                }
                consumed = run.end();
                fill(image, Integer.parseInt(run.group(1)), Integer.parseInt(run.group(2)), Integer.parseInt(run.group(3)), 1,
                        rgb, pixelsPerUnit);
            }
            if (consumed != d.length()) {
                throw new AssertionError("Unexpected path data at " + consumed);
            }
        }
        if (paths == 0) {
            throw new AssertionError("No paths");
        }
        return image;
    }

    private static void fill(BufferedImage image, int x, int y, int w, int h, int rgb, int scale) {
        for (int py = y * scale; py < (y + h) * scale; py++) {
            for (int px = x * scale; px < (x + w) * scale; px++) {
                image.setRGB(px, py, rgb);
            }
        }
    }
}
