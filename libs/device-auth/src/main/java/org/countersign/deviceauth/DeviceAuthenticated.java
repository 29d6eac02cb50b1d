package org.countersign.deviceauth;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a JAX-RS resource class or method that only a device may call, with protocol.md's device
 * token ({@code Authorization: Bearer <ES256 JWT>}). The token is checked before the method runs;
 * the method reads who called from {@link CurrentDevice}. Put {@code @PermitAll} beside it, so that
 * the bearer-token check of client apps (SmallRye JWT) leaves the device's token alone.
 */
@NameBinding
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface DeviceAuthenticated {
}
