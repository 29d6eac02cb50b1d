package org.countersign.portal.domain;

/** What the next page says happened: activated, migrated, removed or cancelled, and to which device. */
public record Notice(String kind, String serialNumber) {
}
