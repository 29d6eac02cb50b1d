package org.countersign.registration.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.countersign.registration.domain.LicenceModel;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Licences to add, all or nothing. */
@Schema(name = "LicenceBatchRequest")
public record LicenceBatchRequest(@NotEmpty @Size(max = 1000) List<@NotNull @Valid Item> licences) {

    /** One licence. */
    @Schema(name = "LicenceBatchItem")
    public record Item(
            @NotBlank @Pattern(regexp = Patterns.ID) String serialNumber,
            @NotBlank @Pattern(regexp = Patterns.TYPE) String authenticatorType,
            @Schema(enumeration = {"SDL", "MDL"}) @NotNull LicenceModel licenceModel,
            @Schema(description = "Activations an MDL licence allows (default 1); an SDL licence has 1")
            @Min(1) @Max(1000) Integer maxActivations) {
    }
}
