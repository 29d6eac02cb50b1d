package org.countersign.provisioning.repository;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.countersign.provisioning.domain.Activation;
import org.countersign.provisioning.domain.ActivationStatus;

/** What the repositories on the reactive client share about an activation's row: its columns, its insert, its mapping. */
final class ActivationRows {

    static final String COLUMNS = "registration_id, domain, user_id, serial_number, activation_type, status,"
            + " sealed_activation_password, instance_id, sealed_device_code, sealed_instance_secret, otp, failed_attempts,"
            + " expires_at, created_at, updated_at";

    /** The columns a recorded registration is inserted with, updated_at last ({@link #insertValues}'s $1 to $11, then updated_at). */
    static final String INSERTED = "registration_id, domain, user_id, serial_number, activation_type, migrate_instance_id,"
            + " otp, status, sealed_activation_password, failed_attempts, expires_at, created_at, updated_at";
    /** {@link #INSERTED}'s values from {@link #insertValues}, all but updated_at. */
    static final String INSERTED_VALUES = "$1, $2, $3, $4, $5, $6, $7, $11, $8, 0, $9, $10";

    /**
     * Records a registration once, whichever comes first: its event, a device call that asked the
     * registration-service directly, or a close that arrived before it. The second writer changes nothing.
     */
    static final String INSERT_IF_ABSENT = "INSERT INTO activations (" + INSERTED + ") VALUES ("
            + INSERTED_VALUES + ", $10) ON CONFLICT (registration_id) DO NOTHING";

    private ActivationRows() {
    }

    /** The parameters of {@link #INSERT_IF_ABSENT}. */
    static Tuple insertValues(Activation activation) {
        return Tuple.tuple().addString(activation.registrationId).addString(activation.domain).addString(activation.userId)
                .addString(activation.serialNumber).addString(activation.activationType).addString(activation.migrateInstanceId)
                .addString(activation.otp).addString(activation.sealedActivationPassword)
                .addOffsetDateTime(utc(activation.expiresAt)).addOffsetDateTime(utc(activation.createdAt))
                .addString(activation.status.name());
    }

    static Activation activation(Row row) {
        Activation activation = new Activation();
        activation.registrationId = row.getString("registration_id");
        activation.domain = row.getString("domain");
        activation.userId = row.getString("user_id");
        activation.serialNumber = row.getString("serial_number");
        activation.activationType = row.getString("activation_type");
        activation.status = ActivationStatus.valueOf(row.getString("status"));
        activation.sealedActivationPassword = row.getString("sealed_activation_password");
        activation.instanceId = row.getString("instance_id");
        activation.sealedDeviceCode = row.getString("sealed_device_code");
        activation.sealedInstanceSecret = row.getString("sealed_instance_secret");
        activation.otp = row.getString("otp");
        activation.failedAttempts = row.getInteger("failed_attempts");
        activation.expiresAt = row.getOffsetDateTime("expires_at").toInstant();
        activation.createdAt = row.getOffsetDateTime("created_at").toInstant();
        activation.updatedAt = row.getOffsetDateTime("updated_at").toInstant();
        return activation;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
