package org.countersign.events.payload;

import java.util.List;
import java.util.Optional;
import org.countersign.events.EventType;

/** Every event type of the suite; each has a JSON Schema and appears in asyncapi.yaml (a test checks both). */
public final class EventTypes {

    public static final List<EventType> ALL = List.of(
            RegistrationInitiated.TYPE,
            RegistrationExpired.TYPE,
            RegistrationCancelled.TYPE,
            UserDeactivated.TYPE,
            LicenceImported.TYPE,
            LicenceAssigned.TYPE,
            LicenceReleased.TYPE,
            DeviceAdded.TYPE,
            AuthenticatorActivated.TYPE,
            ActivationFailed.TYPE,
            AuthenticatorRevoked.TYPE,
            DeviceMigrated.TYPE,
            RegistrationPending.TYPE,
            CredentialProvisioned.TYPE,
            TokenImported.TYPE,
            OtpVerified.TYPE,
            OtpRejected.TYPE,
            OtpResyncChecked.TYPE,
            CredentialLocked.TYPE,
            CredentialUnlocked.TYPE,
            SignatureRequested.TYPE,
            SignatureVerified.TYPE,
            SignatureRejected.TYPE,
            OfflineDataIssued.TYPE,
            OfflineDataRevoked.TYPE,
            OfflineUsageReported.TYPE,
            PushRequested.TYPE,
            PushApproved.TYPE,
            PushDenied.TYPE,
            PushExpired.TYPE,
            DeviceConnected.TYPE,
            DeviceDisconnected.TYPE,
            PushEnabledChanged.TYPE);

    private EventTypes() {
    }

    public static Optional<EventType> byCeType(String ceType) {
        return ALL.stream().filter(t -> t.ceType().equals(ceType)).findFirst();
    }
}
