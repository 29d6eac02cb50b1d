package org.countersign.visualcodes.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import boofcv.alg.fiducial.qrcode.QrCode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.countersign.visualcodes.codec.internal.QrSymbol;
import org.junit.jupiter.api.Test;

/** Every version and level, filled to capacity with random bytes, read back by BoofCV. */
class QrSymbolRoundTripTest {

    @Test
    void encode_everyVersionAndLevelAtCapacity_boofcvReadsSameBytesInByteModeWithoutEci() throws Exception {
        Random random = new Random(6);
        List<String> failures = new ArrayList<>();
        for (Ecc ecc : Ecc.values()) {
            for (int version = 1; version <= 40; version++) {
                byte[] data = new byte[QrSymbol.capacity(version, ecc.level())];
                random.nextBytes(data);
                QrSymbol symbol = QrSymbol.encode(data, ecc.level(), version);
                List<QrCode> found = BoofQrReader.read(render(symbol, 3), 0);
                String label = ecc + "/v" + version;
                if (found.size() != 1) {
                    failures.add(label + ": " + found.size() + " symbols");
                    continue;
                }
                QrCode code = found.get(0);
                if (code.version != version || !code.error.name().equals(ecc.name())
                        || code.mode != QrCode.Mode.BYTE
                        || firstModeIndicator(code) != 0b0100
                        || !code.message.equals(new String(data, StandardCharsets.ISO_8859_1))) {
                    failures.add(label + ": read back v" + code.version + " " + code.error + " " + code.mode);
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void capacity_version40_matchesIsoTable() {
        assertEquals(2953, QrSymbol.capacity(40, Ecc.L.level()));
        assertEquals(2331, QrSymbol.capacity(40, Ecc.M.level()));
        assertEquals(1663, QrSymbol.capacity(40, Ecc.Q.level()));
        assertEquals(1273, QrSymbol.capacity(40, Ecc.H.level()));
        assertEquals(17, QrSymbol.capacity(1, Ecc.L.level()));
        assertEquals(7, QrSymbol.capacity(1, Ecc.H.level()));
        assertEquals(271, QrSymbol.capacity(10, Ecc.L.level()));
    }

    @Test
    void smallestVersion_growsWithLength_noneBeyondCapacity() {
        assertEquals(1, QrSymbol.smallestVersion(17, Ecc.L.level()));
        assertEquals(2, QrSymbol.smallestVersion(18, Ecc.L.level()));
        assertEquals(-1, QrSymbol.smallestVersion(2954, Ecc.L.level()));
        assertTrue(QrSymbol.smallestVersion(100, Ecc.H.level()) > QrSymbol.smallestVersion(100, Ecc.L.level()));
    }

    /** BoofCV keeps each codeword bit-reversed; an ECI segment would start 0111 instead of 0100. */
    private static int firstModeIndicator(QrCode code) {
        return (Integer.reverse(code.corrected[0] & 0xFF) >>> 24) >>> 4;
    }

    /** Through our own PNG writer and ImageIO, so the writer is checked on the way. */
    private static BufferedImage render(QrSymbol symbol, int modulePixels) throws Exception {
        ModuleGrid grid = gridOf(symbol);
        byte[] png = PngWriter.write(grid, grid.side() * modulePixels);
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private static ModuleGrid gridOf(QrSymbol symbol) {
        int quiet = 4;
        int side = symbol.dimension() + 2 * quiet;
        byte[] cells = new byte[side * side];
        for (int y = 0; y < symbol.dimension(); y++) {
            for (int x = 0; x < symbol.dimension(); x++) {
                cells[(y + quiet) * side + x + quiet] = (byte) (symbol.isDark(x, y) ? 1 : 0);
            }
        }
        return new ModuleGrid(side, cells, new int[] {0xFFFFFF, 0x000000});
    }
}
