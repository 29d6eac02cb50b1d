package org.countersign.push.rest;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import org.countersign.push.service.ChannelConnection;
import org.countersign.push.service.ChannelService;

/**
 * The device channel, {@code GET /api/v1/devices/channel} upgraded to a WebSocket (text frames, one
 * JSON object each; push-service/README.md, "Device protocol"). Authenticated at the upgrade by
 * {@link ChannelAuthentication}. Every callback runs on the event loop and returns at once: the work
 * is {@link ChannelService}'s.
 */
@WebSocket(path = ChannelService.PATH)
public class DeviceChannel {

    private static final UserData.TypedKey<ChannelConnection> CONNECTION = new UserData.TypedKey<>("countersign.connection");

    private final ChannelService channels;

    public DeviceChannel(ChannelService channels) {
        this.channels = channels;
    }

    @OnOpen
    public Uni<Void> open(WebSocketConnection socket) {
        ChannelConnection connection = channels.connection(socket.userData().get(ChannelAuthentication.DEVICE), socket);
        socket.userData().put(CONNECTION, connection);
        return channels.opened(connection);
    }

    @OnTextMessage
    public Uni<Void> message(WebSocketConnection socket, String text) {
        return channels.received(socket.userData().get(CONNECTION), text);
    }

    @OnPongMessage
    public Uni<Void> pong(WebSocketConnection socket, Buffer data) {
        channels.pong(socket.userData().get(CONNECTION));
        return Uni.createFrom().voidItem();
    }

    @OnClose
    public Uni<Void> close(WebSocketConnection socket) {
        ChannelConnection connection = socket.userData().get(CONNECTION);
        return connection == null ? Uni.createFrom().voidItem() : channels.closed(connection);
    }
}
