package org.countersign.provisioning.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The registrations this replica's device calls recorded before their RegistrationPending event came
 * (the device asked registration-service instead), so that the event, when it does come, is known to
 * change nothing without opening its sealed activation password or reading the row: the first writer
 * won already. Only a hint: a registration recorded by another replica, or one forgotten here (the
 * oldest go first, past {@link #CAPACITY}), takes the event's general way, which is as correct and
 * costs more.
 */
@ApplicationScoped
public class RecordedAheadOfEvents {

    /** Far more than the registrations whose event is on its way at once, at thousands per second. */
    static final int CAPACITY = 16_384;

    private final Map<String, Boolean> recorded = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CAPACITY;
        }
    };

    public synchronized void add(String registrationId) {
        recorded.put(registrationId, Boolean.TRUE);
    }

    public synchronized boolean contains(String registrationId) {
        return recorded.containsKey(registrationId);
    }

    /**
     * The event has been applied: it will not come again, except redelivered, which the processed ids catch.
     *
     * @return whether it was remembered
     */
    public synchronized boolean remove(String registrationId) {
        return recorded.remove(registrationId) != null;
    }
}
