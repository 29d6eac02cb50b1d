package org.countersign.testing.archsample.events;

/** A consumer holding a constant that a service should not take from it. */
public class SampleConsumer {
    public static final String PURPOSE = "sample-purpose";
}
