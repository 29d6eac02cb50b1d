package org.countersign.testing.archsample.service;

import org.countersign.testing.archsample.events.SampleConsumer;

/** Breaks the rule the bytecode cannot show: a constant taken from a consumer (inlined by javac). */
public class SampleService {
    public String purpose() {
        return SampleConsumer.PURPOSE;
    }
}
