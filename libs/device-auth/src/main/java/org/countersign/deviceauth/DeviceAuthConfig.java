package org.countersign.deviceauth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Configuration of libs/device-auth, under {@code countersign.device-auth}. */
@ConfigMapping(prefix = "countersign.device-auth")
public interface DeviceAuthConfig {

    /** The aud device tokens must name (protocol.md: countersign-push). */
    @WithDefault("countersign-push")
    String audience();

    /** The service's name in its Redis keys, cs:&lt;service&gt;:device-token:&lt;iid&gt;:&lt;jti&gt;. */
    @WithDefault("${countersign.web.service}")
    String service();

    /** How often used jtis whose replay window has ended are deleted from PostgreSQL. */
    @WithDefault("10m")
    Duration cleanupInterval();
}
