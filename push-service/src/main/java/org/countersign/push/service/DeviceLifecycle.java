package org.countersign.push.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import org.countersign.events.EventDraft;
import org.countersign.events.EventKey;
import org.countersign.events.Outbox;
import org.countersign.events.PoisonEventException;
import org.countersign.events.payload.AuthenticatorActivated;
import org.countersign.events.payload.AuthenticatorRevoked;
import org.countersign.events.payload.DeviceDisconnected;
import org.countersign.events.payload.DeviceMigrated;
import org.countersign.events.payload.PushEnabledChanged;
import org.countersign.events.payload.UserDeactivated;
import org.countersign.protocol.P256;
import org.countersign.push.config.PushConfig;
import org.countersign.push.domain.AuthType;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.DeviceStatus;
import org.countersign.push.domain.Platform;
import org.countersign.push.domain.PushUser;
import org.countersign.push.repository.DeviceRepository;
import org.countersign.push.repository.PushUserRepository;

/**
 * Devices as the activation events describe them: an online activation or a migration online makes a
 * device; a revocation or the user's deactivation ends it. Events on two topics (activations,
 * registrations) arrive in any order, and each may come twice: a revocation read before its activation
 * leaves a tombstone, a deactivation a time, and a device whose activation comes later arrives revoked.
 * Runs inside the consumer's transaction.
 */
@ApplicationScoped
public class DeviceLifecycle {

    private final DeviceRepository devices;
    private final PushUserRepository users;
    private final Outbox outbox;
    private final Delivery delivery;
    private final PushConfig config;
    private final Clock clock;

    public DeviceLifecycle(DeviceRepository devices, PushUserRepository users, Outbox outbox, Delivery delivery, PushConfig config,
                           Clock clock) {
        this.devices = devices;
        this.users = users;
        this.outbox = outbox;
        this.delivery = delivery;
        this.config = config;
        this.clock = clock;
    }

    /** Online activations make a device; offline and otpauth ones have no key and are not push devices. */
    public Uni<Void> activated(AuthenticatorActivated event) {
        if (!makesADevice(event)) {
            return Uni.createFrom().voidItem();
        }
        return known(event.instanceId(), event.domain(), event.userId(), event.serialNumber(), event.publicKey(), event.certificate(),
                event.platform(), event.biometric(), event.pushToken(), event.deviceName(), event.activatedAt());
    }

    public static boolean makesADevice(AuthenticatorActivated event) {
        return "online".equals(event.mode());
    }

    /** An offline instance that went online is a new push device with the same instance id. */
    public Uni<Void> migrated(DeviceMigrated event) {
        return known(event.instanceId(), event.domain(), event.userId(), event.serialNumber(), event.publicKey(), event.certificate(),
                event.platform(), event.biometric(), event.pushToken(), event.deviceName(), event.migratedAt());
    }

    private Uni<Void> known(String instanceId, String domain, String userId, String serialNumber, String publicKey,
                            String certificate, String platform, Boolean biometric, String pushToken, String deviceName,
                            Instant activatedAt) {
        return devices.findById(instanceId).chain(existing -> {
            if (existing != null) {
                // A repeated event (or an activation after a migration of the same instance): the first one stands.
                return Uni.createFrom().voidItem();
            }
            Device device = new Device();
            device.instanceId = instanceId;
            device.domain = domain;
            device.userId = userId;
            device.serialNumber = serialNumber;
            device.platform = Platform.fromEvent(platform);
            device.deviceName = deviceName;
            device.biometric = Boolean.TRUE.equals(biometric);
            device.publicKey = decodeKey(publicKey);
            device.certificateNotAfter = notAfter(certificate);
            device.pushToken = pushToken;
            device.activatedAt = activatedAt;
            device.createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
            device.authTypes = AuthType.toColumn(AuthType.DEFAULT);
            device.status = DeviceStatus.ACTIVE;
            return devices.isTombstoned(instanceId).chain(revoked -> users.findSettings(domain, userId).map(user -> {
                boolean deactivatedSince = user != null && user.deactivatedAt != null && !user.deactivatedAt.isBefore(activatedAt);
                if (revoked || deactivatedSince) {
                    device.status = DeviceStatus.REVOKED;
                    device.revokedAt = device.createdAt;
                }
                return device;
            })).chain(devices::persist).replaceWithVoid();
        });
    }

    /** A revocation: recorded even for a device not known yet; its channel is closed. */
    public Uni<Void> revoked(AuthenticatorRevoked event) {
        return devices.tombstone(event.instanceId(), event.domain(), event.revokedAt())
                .chain(() -> devices.revoke(event.domain(), event.instanceId(), event.revokedAt()))
                .chain(rows -> rows == 0 ? Uni.createFrom().voidItem()
                        : delivery.disconnect(event.instanceId(), DeviceDisconnected.REVOKED));
    }

    /**
     * A deactivated user: every device activated until then is revoked (the provisioning-service revokes
     * the instances too; whichever event comes first), and push is switched off for the user.
     */
    public Uni<Void> deactivated(UserDeactivated event) {
        Instant now = clock.instant();
        return devices.listActivatedBy(event.domain(), event.userId(), event.deactivatedAt()).chain(list -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Device device : list) {
                device.status = DeviceStatus.REVOKED;
                device.revokedAt = event.deactivatedAt();
                chain = chain.chain(() -> delivery.disconnect(device.instanceId, DeviceDisconnected.REVOKED));
            }
            return chain;
        }).chain(() -> users.lock(event.domain(), event.userId())).chain(user -> {
            PushUser settings = user;
            if (settings == null) {
                settings = new PushUser();
                settings.domain = event.domain();
                settings.userId = event.userId();
                settings.requireBiometric = false;
                settings.enabled = config.users().enabledByDefault();
            }
            boolean wasEnabled = settings.enabled;
            settings.enabled = false;
            settings.updatedAt = now;
            if (settings.deactivatedAt == null || settings.deactivatedAt.isBefore(event.deactivatedAt())) {
                settings.deactivatedAt = event.deactivatedAt();
            }
            PushUser saved = settings;
            Uni<?> write = user == null ? users.persist(saved) : Uni.createFrom().voidItem();
            return write.chain(() -> !wasEnabled ? Uni.createFrom().voidItem()
                    : outbox.add(new EventDraft(PushEnabledChanged.TYPE, EventKey.of(saved.userId, saved.domain), "user/" + saved.userId,
                            new PushEnabledChanged(saved.userId, saved.domain, false, saved.requireBiometric,
                                    PushEnabledChanged.USER_DEACTIVATED, null, now))).replaceWithVoid());
        });
    }

    private static byte[] decodeKey(String publicKey) {
        try {
            byte[] spki = Base64.getUrlDecoder().decode(publicKey);
            P256.decodeSpki(spki);
            return spki;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new PoisonEventException("The device's public key is not a P-256 SubjectPublicKeyInfo");
        }
    }

    private static Instant notAfter(String certificate) {
        try {
            X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getUrlDecoder().decode(certificate)));
            return parsed.getNotAfter().toInstant();
        } catch (CertificateException | IllegalArgumentException | NullPointerException e) {
            throw new PoisonEventException("The device certificate is not an X.509 certificate");
        }
    }
}
