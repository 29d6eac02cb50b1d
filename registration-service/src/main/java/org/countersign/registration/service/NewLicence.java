package org.countersign.registration.service;

import org.countersign.registration.domain.LicenceModel;

/** A licence to add to the inventory. */
public record NewLicence(String serialNumber, String authenticatorType, LicenceModel licenceModel, Integer maxActivations) {
}
