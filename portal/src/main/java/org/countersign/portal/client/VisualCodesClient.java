package org.countersign.portal.client;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.countersign.portal.config.PortalConfig;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Activation images (QR or colour codes) as PNG, drawn by the visual-codes-service. */
@ApplicationScoped
public class VisualCodesClient {

    static final String SERVICE = "visual-codes-service";

    private final VisualCodesRestClient rest;
    private final Duration timeout;
    private final int size;

    public VisualCodesClient(@RestClient VisualCodesRestClient rest, PortalConfig config) {
        this.rest = rest;
        this.timeout = config.services().timeout();
        this.size = config.images().size();
    }

    /** The PNG of {@code message} in {@code format} (qr or colour). */
    public Uni<byte[]> png(String message, String format) {
        return Answers.guarded(SERVICE, timeout, rest.render(new VisualCodesRestClient.RenderBody(message, format, "png", size)));
    }
}
