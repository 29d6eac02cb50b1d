package org.countersign.otp.events;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import org.countersign.events.AtRestSealer;
import org.countersign.events.EventType;
import org.countersign.events.ReceivedEvent;
import org.countersign.events.SqlEventHandler;
import org.countersign.events.TransportSealer;
import org.countersign.events.payload.CredentialProvisioned;
import org.countersign.events.payload.TokenImported;
import org.countersign.otp.domain.Credential;
import org.countersign.otp.domain.CredentialKind;
import org.countersign.otp.domain.CredentialStatus;
import org.countersign.otp.domain.SealingPurposes;
import org.countersign.otp.repository.ProvisionedCredentialRepository;
import org.countersign.protocol.InstanceKeys;
import org.countersign.protocol.OtpPolicy;
import org.countersign.secrets.Secret;

/**
 * Takes credentials from the internal credentials topic: seeds of imported hardware tokens, and
 * instance secrets of activated authenticators, from which the OTP key is derived (protocol.md), and
 * which are kept for offline signing. Each is opened with this service's private key and sealed again under
 * this service's at-rest key, each purpose apart; nothing is kept in clear. Stored on the reactive SQL
 * client, in the transaction that records the event's id.
 */
@ApplicationScoped
public class CredentialsConsumer implements SqlEventHandler {

    private final TransportSealer transport;
    private final AtRestSealer atRest;
    private final ProvisionedCredentialRepository credentials;
    private final Clock clock;

    public CredentialsConsumer(TransportSealer transport, AtRestSealer atRest, ProvisionedCredentialRepository credentials,
                               Clock clock) {
        this.transport = transport;
        this.atRest = atRest;
        this.credentials = credentials;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "credentials";
    }

    @Override
    public Set<EventType> types() {
        return Set.of(TokenImported.TYPE, CredentialProvisioned.TYPE);
    }

    @Override
    public Uni<Void> handle(ReceivedEvent event, SqlConnection tx) {
        if (event.type().equals(CredentialProvisioned.TYPE)) {
            return provisioned(tx, event.data(CredentialProvisioned.class));
        }
        return imported(tx, event.data(TokenImported.class));
    }

    /** An imported hardware token: its seed is its OTP (or OCRA) key. A new import of the token replaces the old. */
    private Uni<Void> imported(SqlConnection tx, TokenImported token) {
        Credential credential = new Credential();
        credential.id = UUID.randomUUID();
        credential.domain = token.domain();
        credential.serialNumber = token.serialNumber();
        credential.otpPolicy = token.otp();
        credential.ocraSuite = token.ocraSuite();
        credential.kind = token.ocraSuite() != null ? CredentialKind.OCRA
                : token.otp().startsWith("hotp:") ? CredentialKind.HOTP : CredentialKind.TOTP;
        Secret seed = transport.open(token.sealedSeed(), TokenImported.seedBinding(token.domain(), token.serialNumber()));
        try {
            credential.sealedSecret = atRest.seal(seed, SealingPurposes.otpKeyOf(credential.id)).toText();
        } finally {
            seed.destroy();
        }
        // The token's counter is the next one it will use: everything before it counts as spent.
        credential.lastAccepted = token.counter() == null ? -1 : token.counter() - 1;
        credential.source = "pskc";
        credential.status = CredentialStatus.ACTIVE;
        credential.createdAt = clock.instant();
        credential.updatedAt = credential.createdAt;
        return credentials.replaceImportedToken(tx, credential);
    }

    /**
     * An activated instance: the OTP key is K_otp, derived from the instance secret. IS is kept too,
     * sealed at rest under its own purpose, because offline signing derives K_tx and K_sign from it
     * (libs/protocol's InstanceKeys). A stock authenticator app (otpauth) comes with its raw OTP key
     * instead, sealed for transport under the purpose otp-key, and no IS; the step that confirmed it
     * counts as used. An instance revoked (or whose user was deactivated) before this event was read is
     * stored revoked: the revocation comes on another topic and may be applied first.
     */
    private Uni<Void> provisioned(SqlConnection tx, CredentialProvisioned provisioned) {
        OtpPolicy policy = OtpPolicy.parse(provisioned.otp());
        Credential credential = new Credential();
        credential.id = UUID.randomUUID();
        credential.domain = provisioned.domain();
        credential.userId = provisioned.userId();
        credential.serialNumber = provisioned.serialNumber();
        credential.instanceId = provisioned.instanceId();
        credential.otpPolicy = policy.format();
        credential.kind = policy.kind() == OtpPolicy.Kind.HOTP ? CredentialKind.HOTP : CredentialKind.TOTP;
        if (provisioned.sealedOtpKey() != null) {
            // A stock authenticator app (otpauth): its raw key is the OTP key, and there is no IS, so the
            // credential cannot sign offline (SignatureService answers signing-not-supported).
            Secret otpKey = transport.open(provisioned.sealedOtpKey(), CredentialProvisioned.otpKeyBinding(provisioned.domain(),
                    provisioned.userId(), provisioned.instanceId()));
            try {
                credential.sealedSecret = atRest.seal(otpKey, SealingPurposes.otpKeyOf(credential.id)).toText();
            } finally {
                otpKey.destroy();
            }
        } else {
            sealInstanceSecret(provisioned, policy, credential);
        }
        // The step that confirmed an otpauth app is spent: the first login cannot replay it.
        credential.lastAccepted = provisioned.lastUsedStep() == null ? -1 : provisioned.lastUsedStep();
        credential.source = "instance";
        credential.createdAt = clock.instant();
        credential.updatedAt = credential.createdAt;
        // ACTIVE, or REVOKED when the instance was withdrawn before this event was read (decided by the insert).
        return credentials.replaceInstanceCredential(tx, credential, provisioned.provisionedAt());
    }

    /**
     * K_otp derived from the instance secret, and IS itself, each sealed at rest under its own purpose.
     * IS, the derivation's copy of it and K_otp are wiped whatever happens.
     */
    private void sealInstanceSecret(CredentialProvisioned provisioned, OtpPolicy policy, Credential credential) {
        Secret instanceSecret = transport.open(provisioned.sealedInstanceSecret(),
                CredentialProvisioned.instanceSecretBinding(provisioned.domain(), provisioned.userId(), provisioned.instanceId()));
        InstanceKeys keys = null;
        Secret otpKey = null;
        try {
            keys = InstanceKeys.of(instanceSecret);
            otpKey = keys.otp(policy);
            credential.sealedSecret = atRest.seal(otpKey, SealingPurposes.otpKeyOf(credential.id)).toText();
            credential.sealedInstanceSecret = atRest.seal(instanceSecret,
                    SealingPurposes.signingInstanceSecretOf(credential.id)).toText();
        } finally {
            if (otpKey != null) {
                otpKey.destroy();
            }
            if (keys != null) {
                keys.destroy();
            }
            instanceSecret.destroy();
        }
    }
}
