package org.countersign.push.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The device channels open on this replica, by instance and by user. */
@ApplicationScoped
public class LocalConnections {

    private final ConcurrentHashMap<String, ChannelConnection> byInstance = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<ChannelConnection>> byUser = new ConcurrentHashMap<>();

    /** Registers a new connection; returns the one of the same device it replaces, if any. */
    public ChannelConnection add(ChannelConnection connection) {
        ChannelConnection replaced = byInstance.put(connection.instanceId(), connection);
        byUser.compute(connection.userKey(), (key, set) -> {
            Set<ChannelConnection> users = set == null ? ConcurrentHashMap.newKeySet() : set;
            if (replaced != null) {
                users.remove(replaced);
            }
            users.add(connection);
            return users;
        });
        return replaced;
    }

    /** Removes the connection if it is still the device's current one here; true if it was. */
    public boolean remove(ChannelConnection connection) {
        boolean current = byInstance.remove(connection.instanceId(), connection);
        byUser.computeIfPresent(connection.userKey(), (key, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        });
        return current;
    }

    public ChannelConnection get(String instanceId) {
        return byInstance.get(instanceId);
    }

    public Set<ChannelConnection> ofUser(String domain, String userId) {
        Set<ChannelConnection> set = byUser.get(ChannelConnection.userKey(domain, userId));
        return set == null ? Set.of() : set;
    }

    public Collection<ChannelConnection> all() {
        return byInstance.values();
    }

    public int size() {
        return byInstance.size();
    }
}
