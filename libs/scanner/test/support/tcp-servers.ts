import { createServer, type Server, type Socket } from 'node:net';

/** A TCP server that writes `greeting` to every client on connect, then keeps listening. */
export function greetingServer(greeting: Buffer | string): Server {
  return createServer((socket) => {
    socket.on('error', () => undefined);
    socket.resume();
    socket.write(greeting);
  });
}

/** A TCP server that accepts, reads (and so notices when the client leaves), and says nothing, ever. */
export function silentServer(): Server & { sockets: Set<Socket> } {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  }) as Server & { sockets: Set<Socket> };
  server.sockets = sockets;
  return server;
}
