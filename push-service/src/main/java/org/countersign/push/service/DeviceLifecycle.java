package org.countersign.push.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
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
import org.countersign.push.repository.DeviceEvents;
import org.countersign.push.repository.DeviceRepository;
import org.countersign.push.repository.PushUserRepository;

/**
 * Devices as the activation events describe them: an online activation or a migration online makes a
 * device; a revocation or the user's deactivation ends it. Events on two topics (activations,
 * registrations) arrive in any order, and each may come twice: a revocation read before its activation
 * leaves a tombstone, a deactivation a time, and a device whose activation comes later arrives revoked; an
 * activation and a deactivation applied at the same moment are ordered by the user's lock.
 * Runs inside the consumer's transaction: the activations topic's on its SQL connection, one statement an
 * event (DeviceEvents); a deactivation in a Hibernate session.
 */
@ApplicationScoped
public class DeviceLifecycle {

    private final DeviceRepository devices;
    private final DeviceEvents deviceEvents;
    private final PushUserRepository users;
    private final Outbox outbox;
    private final Delivery delivery;
    private final PushConfig config;
    private final Clock clock;

    public DeviceLifecycle(DeviceRepository devices, DeviceEvents deviceEvents, PushUserRepository users, Outbox outbox,
                           Delivery delivery, PushConfig config, Clock clock) {
        this.devices = devices;
        this.deviceEvents = deviceEvents;
        this.users = users;
        this.outbox = outbox;
        this.delivery = delivery;
        this.config = config;
        this.clock = clock;
    }

    /** Online activations make a device; offline and otpauth ones have no key and are not push devices. */
    public Uni<Void> activated(SqlConnection tx, AuthenticatorActivated event) {
        if (!makesADevice(event)) {
            return Uni.createFrom().voidItem();
        }
        return known(tx, event.instanceId(), event.domain(), event.userId(), event.serialNumber(), event.publicKey(),
                event.certificate(), event.platform(), event.biometric(), event.pushToken(), event.deviceName(), event.activatedAt());
    }

    public static boolean makesADevice(AuthenticatorActivated event) {
        return "online".equals(event.mode());
    }

    /** An offline instance that went online is a new push device with the same instance id. */
    public Uni<Void> migrated(SqlConnection tx, DeviceMigrated event) {
        return known(tx, event.instanceId(), event.domain(), event.userId(), event.serialNumber(), event.publicKey(),
                event.certificate(), event.platform(), event.biometric(), event.pushToken(), event.deviceName(), event.migratedAt());
    }

    private Uni<Void> known(SqlConnection tx, String instanceId, String domain, String userId, String serialNumber,
                            String publicKey, String certificate, String platform, Boolean biometric, String pushToken,
                            String deviceName, Instant activatedAt) {
        return deviceEvents.insert(tx, new DeviceEvents.NewDevice(instanceId, domain, userId, serialNumber,
                Platform.fromEvent(platform).name(), deviceName, Boolean.TRUE.equals(biometric), decodeKey(publicKey),
                notAfter(certificate), pushToken, activatedAt, clock.instant().truncatedTo(ChronoUnit.MICROS),
                AuthType.toColumn(AuthType.DEFAULT)));
    }

    /** A revocation: recorded even for a device not known yet; its channel is closed. */
    public Uni<Void> revoked(SqlConnection tx, AuthenticatorRevoked event) {
        return deviceEvents.revoke(tx, event.domain(), event.instanceId(), event.revokedAt())
                .chain(revokedNow -> revokedNow ? delivery.disconnect(event.instanceId(), DeviceDisconnected.REVOKED)
                        : Uni.createFrom().voidItem());
    }

    /**
     * A deactivated user: every device activated until then is revoked (the provisioning-service revokes
     * the instances too; whichever event comes first), and push is switched off for the user. Under the
     * user's lock, as a device's activation is: whichever of the two commits second sees the other.
     */
    public Uni<Void> deactivated(UserDeactivated event) {
        Instant now = clock.instant();
        return devices.lockUser(event.domain(), event.userId())
                .chain(() -> devices.listActivatedBy(event.domain(), event.userId(), event.deactivatedAt())).chain(list -> {
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
