package org.countersign.device;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.countersign.visualcodes.codec.CodeFormat;
import org.countersign.visualcodes.codec.DecodedCode;
import org.countersign.visualcodes.codec.VisualCodeDecoder;

/**
 * The device's camera: turns what a person points it at into the message text. The argument is a
 * {@code countersign://} URI (taken as it is), an {@code http://} or {@code https://} URL of an image
 * (fetched, with a bearer token if given), {@code -} for standard input, or the path of a file. An
 * image (PNG or JPEG, a screenshot or a photo) is decoded as a QR code or a colour code with
 * libs/visual-codes; a file or answer that is text starting with {@code countersign://} is taken
 * as the message itself.
 */
public final class DeviceInput {

    /** Largest image or text read, from a file, a URL or standard input. */
    static final int MAX_BYTES = 16 * 1024 * 1024;
    /** Largest image decoded, checked from its header before any pixel is read (as visual-codes-service does). */
    static final long MAX_PIXELS = 16_000_000;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final String SCHEME = "countersign://";

    private DeviceInput() {
    }

    /** @throws DeviceException of kind INPUT, saying what could not be read and why */
    public static String read(String arg) {
        return read(arg, null);
    }

    /**
     * @param bearerToken sent as {@code Authorization: Bearer} when {@code arg} is an http(s) URL; may be null
     * @throws DeviceException of kind INPUT, saying what could not be read and why
     */
    public static String read(String arg, String bearerToken) {
        if (arg == null || arg.isBlank()) {
            throw new DeviceException(DeviceException.Kind.INPUT, "Nothing to read: give an image file, an http(s) URL or a countersign:// URI");
        }
        if (arg.startsWith(SCHEME)) {
            return arg;
        }
        if (arg.startsWith("http://") || arg.startsWith("https://")) {
            return fromUrl(arg, bearerToken);
        }
        if (arg.equals("-")) {
            return fromStdin();
        }
        return fromFile(arg);
    }

    private static String fromFile(String arg) {
        Path path;
        try {
            path = Path.of(arg);
        } catch (InvalidPathException e) {
            throw new DeviceException(DeviceException.Kind.INPUT, "'" + arg + "' is not a file path, an http(s) URL or a countersign:// URI");
        }
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) {
                throw new DeviceException(DeviceException.Kind.INPUT, arg + " is a directory, not an image file");
            }
            if (Files.size(path) > MAX_BYTES) {
                throw new DeviceException(DeviceException.Kind.INPUT, arg + " is larger than " + MAX_BYTES / (1024 * 1024) + " MiB");
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new DeviceException(DeviceException.Kind.INPUT, "No such file: " + arg
                    + (arg.matches("[A-Za-z][A-Za-z0-9+.-]*:.*") ? " (URIs must start with countersign://, URLs with http:// or https://)" : ""));
        } catch (AccessDeniedException e) {
            throw new DeviceException(DeviceException.Kind.INPUT, "Cannot read " + arg + ": permission denied");
        } catch (IOException e) {
            throw new DeviceException(DeviceException.Kind.INPUT, "Cannot read " + arg + ": " + e.getMessage(), e);
        }
        return decode(bytes, arg);
    }

    private static String fromStdin() {
        try {
            byte[] bytes = System.in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new DeviceException(DeviceException.Kind.INPUT, "Standard input is larger than " + MAX_BYTES / (1024 * 1024) + " MiB");
            }
            return decode(bytes, "standard input");
        } catch (IOException e) {
            throw new DeviceException(DeviceException.Kind.INPUT, "Cannot read standard input: " + e.getMessage(), e);
        }
    }

    private static String fromUrl(String url, String bearerToken) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new DeviceException(DeviceException.Kind.INPUT, "Not a valid URL: " + e.getReason()
                    + " (quote the URL in the shell, and percent-encode spaces)");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET()
                .header("Accept", "image/png, image/jpeg, text/plain;q=0.5, */*;q=0.1");
        if (bearerToken != null && !bearerToken.isBlank()) {
            request.header("Authorization", "Bearer " + bearerToken.strip());
        }
        // With a token, redirects are not followed: the token must not travel to another server.
        boolean withToken = bearerToken != null && !bearerToken.isBlank();
        HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(withToken ? HttpClient.Redirect.NEVER : HttpClient.Redirect.NORMAL).build();
        HttpResponse<InputStream> response;
        byte[] body;
        String where = printableUrl(uri);
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_BYTES + 1);
            }
        } catch (IOException e) {
            throw new DeviceException(DeviceException.Kind.INPUT, "Cannot fetch " + where + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + " (is the service running? ./countersign status)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceException(DeviceException.Kind.INPUT, "Interrupted while fetching " + where);
        } catch (IllegalArgumentException e) {
            throw new DeviceException(DeviceException.Kind.INPUT, "Cannot fetch " + where + ": " + e.getMessage());
        }
        if (body.length > MAX_BYTES) {
            throw new DeviceException(DeviceException.Kind.INPUT, where + " answered more than " + MAX_BYTES / (1024 * 1024) + " MiB");
        }
        int status = response.statusCode();
        if (status != 200) {
            StringBuilder message = new StringBuilder(where + " answered HTTP " + status);
            ProblemAnswer.parse(body).filter(p -> !p.detail().isBlank()).ifPresent(p -> message.append(": ").append(p.detail()));
            if (status >= 300 && status < 400 && withToken) {
                message.append(" (a redirect; with --token it is not followed, so that the token stays with this server)");
            } else if (status == 401) {
                message.append(bearerToken == null ? " (pass a token with --token, e.g. --token \"$(./countersign token)\")"
                        : " (the token was refused: expired, or for another audience?)");
            } else if (status == 403) {
                message.append(" (the token lacks the scope this URL needs, e.g. visual-codes)");
            }
            throw new DeviceException(DeviceException.Kind.INPUT, message.toString());
        }
        return decode(body, where);
    }

    /** An image (PNG, JPEG) is decoded; text that is a countersign:// URI is the message itself. */
    static String decode(byte[] bytes, String source) {
        Optional<String> text = asMessageText(bytes);
        if (text.isPresent()) {
            return text.get();
        }
        BufferedImage image = image(bytes, source);
        try {
            // ZXing's detector misses about 1 in 100 clean, upright QR symbols (ours and its own
            // encoder's alike) and finds them once the image is turned, as a person would turn a
            // device that does not react. So the camera tries the three other quarter turns too.
            // When one channel of a colour code is missed, the decoder answers with the grey
            // image's QR reading, which is a single "CCi/3:" symbol: that is no answer either.
            for (int turn = 0; turn < 4; turn++) {
                Optional<DecodedCode> code = VisualCodeDecoder.decode(image);
                if (code.isPresent() && !isColourFragment(code.get())) {
                    return code.get().message();
                }
                image = quarterTurn(image);
            }
        } catch (RuntimeException e) {
            throw new DeviceException(DeviceException.Kind.INPUT, "Cannot decode the image in " + source + ": " + e.getMessage(), e);
        }
        throw new DeviceException(DeviceException.Kind.INPUT,
                "No QR or colour code found in " + source + " (is it the whole code, sharp, with its white margin?)");
    }

    private static boolean isColourFragment(DecodedCode code) {
        String text = code.message();
        return code.format() == CodeFormat.QR && text.length() >= 6 && text.startsWith("CC")
                && text.charAt(2) >= '1' && text.charAt(2) <= '3' && text.startsWith("/3:", 3);
    }

    /** The image turned 90 degrees clockwise. */
    static BufferedImage quarterTurn(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] in = image.getRGB(0, 0, width, height, null, 0, width);
        int[] out = new int[in.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out[x * height + (height - 1 - y)] = in[y * width + x];
            }
        }
        BufferedImage turned = new BufferedImage(height, width, BufferedImage.TYPE_INT_ARGB);
        turned.setRGB(0, 0, height, width, out, 0, height);
        return turned;
    }

    private static Optional<String> asMessageText(byte[] bytes) {
        int start = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            start = 3;
        }
        byte[] scheme = SCHEME.getBytes(StandardCharsets.US_ASCII);
        int at = start;
        while (at < bytes.length && Character.isWhitespace(bytes[at])) {
            at++;
        }
        if (bytes.length - at < scheme.length) {
            return Optional.empty();
        }
        for (int i = 0; i < scheme.length; i++) {
            if (bytes[at + i] != scheme[i]) {
                return Optional.empty();
            }
        }
        return Optional.of(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8).strip());
    }

    private static BufferedImage image(byte[] bytes, String source) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new DeviceException(DeviceException.Kind.INPUT, source + " is not an image (PNG or JPEG) nor a countersign:// URI");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new DeviceException(DeviceException.Kind.INPUT, "The image in " + source + " has " + pixels
                            + " pixels; at most " + MAX_PIXELS + " are read");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof DeviceException device) {
                throw device;
            }
            throw new DeviceException(DeviceException.Kind.INPUT, "Cannot read the image in " + source + ": it is damaged or not an image", e);
        }
    }

    /** The URL without its query, which may carry the message itself (a secret, for activation images). */
    static String printableUrl(URI uri) {
        String text = uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
        return uri.getRawQuery() == null ? text : text + "?...";
    }
}
