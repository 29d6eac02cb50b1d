package org.countersign.visualcodes.codec;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.Result;
import com.google.zxing.common.GlobalHistogramBinarizer;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.countersign.visualcodes.codec.internal.GreyLuminanceSource;

/**
 * Finds a QR or colour code in an image, also in a photo (scaled, blurred, on a background). A
 * greyscale-like image is read as a QR code first; a colourful one as a colour code first, whose
 * three channels are read one by one. Stateless and thread-safe.
 */
public final class VisualCodeDecoder {

    /** Byte segments come back one char per byte, so a colour code's chunks can be joined as bytes. */
    private static final Map<DecodeHintType, Object> HINTS = Map.of(
            DecodeHintType.TRY_HARDER, Boolean.TRUE,
            DecodeHintType.CHARACTER_SET, StandardCharsets.ISO_8859_1.name());
    /**
     * For rendered images that the detector misses (about 1 % of clean, upright symbols): the symbol
     * is then assumed to fill the image but for its quiet zone, which ZXing reads without detection.
     */
    private static final Map<DecodeHintType, Object> PURE_HINTS = Map.of(
            DecodeHintType.PURE_BARCODE, Boolean.TRUE,
            DecodeHintType.CHARACTER_SET, StandardCharsets.ISO_8859_1.name());
    /** Channels that differ by more than this in a pixel make it coloured. */
    private static final int CHROMA_THRESHOLD = 64;
    private static final double COLOURFUL_SHARE = 0.02;
    private static final int LARGE_SIDE = 1600;

    private VisualCodeDecoder() {
    }

    public static Optional<DecodedCode> decode(BufferedImage image) {
        Planes planes = Planes.of(image);
        if (planes.colourful()) {
            Optional<DecodedCode> colour = colour(planes);
            return colour.isPresent() ? colour : whole(qr(planes));
        }
        Optional<DecodedCode> qr = qr(planes);
        if (qr.isPresent() && !looksLikeColourSymbol(qr.get().message())) {
            return qr;
        }
        Optional<DecodedCode> colour = colour(planes);
        return colour.isPresent() ? colour : whole(qr);
    }

    /** One symbol of a colour code is a third of a message, never a message of its own. */
    private static Optional<DecodedCode> whole(Optional<DecodedCode> qr) {
        return qr.filter(code -> !looksLikeColourSymbol(code.message()));
    }

    private static boolean looksLikeColourSymbol(String text) {
        return text.length() >= 6 && text.startsWith("CC") && text.startsWith("/3:", 3);
    }

    private static Optional<DecodedCode> qr(Planes planes) {
        return read(planes.luma(), planes.width(), planes.height())
                .map(text -> new DecodedCode(asMessage(text), CodeFormat.QR));
    }

    private static Optional<DecodedCode> colour(Planes planes) {
        byte[][] chunks = new byte[ColourChunks.SYMBOLS][];
        for (int i = 0; i < ColourChunks.SYMBOLS; i++) {
            Optional<String> text = read(planes.channel(i), planes.width(), planes.height());
            if (text.isEmpty() || !isByteString(text.get())) {
                return Optional.empty();
            }
            chunks[i] = ColourChunks.chunkOf(i, text.get().getBytes(StandardCharsets.ISO_8859_1));
            if (chunks[i] == null) {
                return Optional.empty();
            }
        }
        byte[] message = ColourChunks.join(chunks);
        return Optional.of(new DecodedCode(utf8OrLatin1(message), CodeFormat.COLOUR));
    }

    private static Optional<String> read(byte[] plane, int width, int height) {
        Optional<String> text = read(new GreyLuminanceSource(plane, width, height));
        if (text.isEmpty() && Math.max(width, height) > LARGE_SIDE) {
            // A phone photo: halving it removes sensor noise that breaks the binarizer.
            int w = width / 2;
            int h = height / 2;
            byte[] half = new byte[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int sum = (plane[2 * y * width + 2 * x] & 0xFF) + (plane[2 * y * width + 2 * x + 1] & 0xFF)
                            + (plane[(2 * y + 1) * width + 2 * x] & 0xFF) + (plane[(2 * y + 1) * width + 2 * x + 1] & 0xFF);
                    half[y * w + x] = (byte) (sum / 4);
                }
            }
            text = read(new GreyLuminanceSource(half, w, h));
        }
        return text;
    }

    private static Optional<String> read(LuminanceSource source) {
        QRCodeReader reader = new QRCodeReader();
        for (BinaryBitmap bitmap : new BinaryBitmap[] {
                new BinaryBitmap(new HybridBinarizer(source)), new BinaryBitmap(new GlobalHistogramBinarizer(source))}) {
            try {
                Result result = reader.decode(bitmap, HINTS);
                return Optional.of(result.getText());
            } catch (ReaderException | IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                // ZXing signals "nothing here" with exceptions, and a few malformed symbols with
                // runtime ones; either way this attempt found nothing.
                reader.reset();
            }
        }
        try {
            return Optional.of(reader.decode(new BinaryBitmap(new HybridBinarizer(source)), PURE_HINTS).getText());
        } catch (ReaderException | IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    /** Text decoded one char per byte becomes UTF-8 when the bytes are UTF-8; an ECI already decoded it. */
    private static String asMessage(String text) {
        return isByteString(text) ? utf8OrLatin1(text.getBytes(StandardCharsets.ISO_8859_1)) : text;
    }

    private static boolean isByteString(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    private static String utf8OrLatin1(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** The image as a grey plane and its three colour planes, over white where it is transparent. */
    private record Planes(int width, int height, byte[] luma, byte[][] rgb, boolean colourful) {

        static Planes of(BufferedImage image) {
            int width = image.getWidth();
            int height = image.getHeight();
            int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
            byte[] luma = new byte[argb.length];
            byte[][] rgb = new byte[3][argb.length];
            long coloured = 0;
            for (int i = 0; i < argb.length; i++) {
                int p = argb[i];
                int alpha = p >>> 24;
                int r = over(p >> 16 & 0xFF, alpha);
                int g = over(p >> 8 & 0xFF, alpha);
                int b = over(p & 0xFF, alpha);
                rgb[0][i] = (byte) r;
                rgb[1][i] = (byte) g;
                rgb[2][i] = (byte) b;
                luma[i] = (byte) ((r * 77 + g * 150 + b * 29) >> 8);
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > CHROMA_THRESHOLD) {
                    coloured++;
                }
            }
            return new Planes(width, height, luma, rgb, coloured > argb.length * COLOURFUL_SHARE);
        }

        private static int over(int value, int alpha) {
            return (value * alpha + 255 * (255 - alpha)) / 255;
        }

        byte[] channel(int index) {
            return rgb[index];
        }
    }
}
