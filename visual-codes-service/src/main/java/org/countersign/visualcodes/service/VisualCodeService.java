package org.countersign.visualcodes.service;

import io.vertx.core.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.countersign.visualcodes.codec.CodeFormat;
import org.countersign.visualcodes.codec.DecodedCode;
import org.countersign.visualcodes.codec.ImageSizeException;
import org.countersign.visualcodes.codec.MessageLengthException;
import org.countersign.visualcodes.codec.ModuleGrid;
import org.countersign.visualcodes.codec.PngWriter;
import org.countersign.visualcodes.codec.SvgWriter;
import org.countersign.visualcodes.codec.VisualCodeDecoder;
import org.countersign.visualcodes.codec.VisualCodeEncoder;
import org.countersign.visualcodes.config.VisualCodesConfig;
import org.countersign.visualcodes.domain.OutputType;
import org.countersign.visualcodes.domain.RenderedImage;
import org.countersign.visualcodes.domain.VisualCodeProblem;
import org.countersign.web.ProblemException;
import org.countersign.web.ProblemType;

/**
 * Draws messages as QR or colour codes and reads them back. The work is CPU-bound, so every entry
 * point refuses to run on an event-loop thread. Nothing here logs: messages can be secrets.
 */
@ApplicationScoped
public class VisualCodeService {

    private final VisualCodesConfig config;
    /** Decoding holds megabytes per request: only so many at once, so that the heap is never exhausted. */
    private final Semaphore decodes;

    public VisualCodeService(VisualCodesConfig config) {
        this.config = config;
        this.decodes = new Semaphore(config.upload().maxConcurrentDecodes(), true);
    }

    /** Every argument but the message may be null, for its default; size and margin are whole numbers as text. */
    public RenderedImage render(String message, String format, String output, String size, String ecc, String margin) {
        requireWorkerThread();
        if (message == null || message.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION, "The message is required and must not be empty");
        }
        RenderOptions options = RenderOptions.of(format, output, size, ecc, margin, config);
        ModuleGrid grid;
        try {
            grid = VisualCodeEncoder.encode(message.getBytes(StandardCharsets.UTF_8), options.format(), options.ecc(),
                    options.margin());
        } catch (MessageLengthException e) {
            throw lengthProblem(e, options);
        }
        try {
            return options.output() == OutputType.PNG
                    ? new RenderedImage(PngWriter.write(grid, options.size()), OutputType.PNG.mediaType())
                    : new RenderedImage(SvgWriter.write(grid, options.size()).getBytes(StandardCharsets.UTF_8),
                    OutputType.SVG.mediaType());
        } catch (ImageSizeException e) {
            throw new ProblemException(VisualCodeProblem.SIZE_OUT_OF_RANGE, "This message as a " + name(options.format())
                    + " code at level " + options.ecc() + " with a margin of " + options.margin() + " needs " + e.minPixels()
                    + " modules per side, quiet zone included, so a size of at least " + e.minPixels() + " pixels");
        }
    }

    public DecodedCode decode(byte[] upload) {
        requireWorkerThread();
        if (upload == null || upload.length == 0) {
            throw new ProblemException(VisualCodeProblem.INVALID_IMAGE, "The upload is empty");
        }
        ImageHeader header = ImageHeader.of(upload);
        if (header.pixels() > config.upload().maxPixels()) {
            throw new ProblemException(VisualCodeProblem.IMAGE_TOO_LARGE,
                    "The image has " + header.pixels() + " pixels; at most " + config.upload().maxPixels() + " are decoded");
        }
        if (Math.max(header.width(), header.height()) > config.upload().maxSide()) {
            throw new ProblemException(VisualCodeProblem.IMAGE_TOO_LARGE, "The image is " + header.width() + " x "
                    + header.height() + " pixels; each side may be at most " + config.upload().maxSide() + " pixels");
        }
        if (header.scans() > config.upload().maxJpegScans()) {
            throw new ProblemException(VisualCodeProblem.IMAGE_TOO_LARGE, "The JPEG has " + header.scans()
                    + " scans; at most " + config.upload().maxJpegScans() + " are decoded");
        }
        awaitTurn();
        try {
            BufferedImage image = UploadedImages.read(upload, header, config.upload().decodePixels());
            return VisualCodeDecoder.decode(image).orElseThrow(() -> new ProblemException(VisualCodeProblem.NO_CODE_FOUND,
                    "No QR or colour code could be read from the image"));
        } finally {
            decodes.release();
        }
    }

    private void awaitTurn() {
        boolean acquired;
        try {
            acquired = decodes.tryAcquire(config.upload().queueTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "Too many images are being decoded; retry in a moment",
                    Map.of("Retry-After", "1"));
        }
    }

    private static ProblemException lengthProblem(MessageLengthException e, RenderOptions options) {
        String code = "a " + name(options.format()) + " code at level " + options.ecc();
        if (e.tooLong()) {
            return new ProblemException(VisualCodeProblem.MESSAGE_TOO_LONG, "The message is " + e.actualBytes()
                    + " bytes of UTF-8; " + code + " holds at most " + e.maxBytes() + " bytes");
        }
        return new ProblemException(VisualCodeProblem.MESSAGE_TOO_SHORT, "The message is " + e.actualBytes()
                + " bytes of UTF-8; " + code + " needs at least " + e.minBytes() + " bytes");
    }

    private static String name(CodeFormat format) {
        return format == CodeFormat.QR ? "QR" : "colour";
    }

    private static void requireWorkerThread() {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("Visual codes are rendered on worker threads, never on the event loop");
        }
    }
}
