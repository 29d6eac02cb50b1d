package org.countersign.testing.archsample.domain;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

@Entity
public class SampleEntity {
    @Id
    public String id;
}
