package org.countersign.testing.archsample.rest;

import java.util.List;
import org.countersign.testing.archsample.domain.SampleEntity;
import org.countersign.testing.archsample.repository.SampleRepository;

/** Breaks two rules: a resource that reads a repository, and answers entities. */
public class SampleResource {
    private final SampleRepository repository = new SampleRepository();

    public List<SampleEntity> list() {
        return List.of(repository.find("x"));
    }
}
