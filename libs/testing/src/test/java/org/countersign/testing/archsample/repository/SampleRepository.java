package org.countersign.testing.archsample.repository;

import org.countersign.testing.archsample.domain.SampleEntity;

public class SampleRepository {
    public SampleEntity find(String id) {
        return new SampleEntity();
    }
}
