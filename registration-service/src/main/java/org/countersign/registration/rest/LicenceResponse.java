package org.countersign.registration.rest;

import java.time.Instant;
import java.util.List;
import org.countersign.registration.domain.Licence;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A licence and its activation accounting. */
@Schema(name = "Licence")
public record LicenceResponse(String serialNumber, String authenticatorType, String licenceModel, int maxActivations,
                              int activationsUsed, int activationsReserved, int activationsLeft, String assignedUserId,
                              String status, String source, Instant createdAt) {

    static LicenceResponse from(Licence licence) {
        return new LicenceResponse(licence.serialNumber, licence.authenticatorType, licence.licenceModel.name(),
                licence.maxActivations, licence.activationsUsed, licence.activationsReserved, licence.activationsLeft(),
                licence.assignedUserId, licence.status.name(), licence.source, licence.createdAt);
    }

    /** A page of licences. */
    @Schema(name = "LicencePage")
    public record Page(List<LicenceResponse> items, int page, int size) {
    }

    /** What a batch import added. */
    @Schema(name = "LicenceImport")
    public record Imported(int count, List<String> serialNumbers) {
    }
}
