import net, { type AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of Redis that a test controls, to make Redis look down without
 * touching the real (shared) server: it forwards, cuts every connection, black-holes them
 * (accepts, reads, never answers), or delays replies. It also reads the RESP commands clients
 * send through it, so a test can count what reached "Redis".
 */
export interface TcpProxy {
  /** `redis://127.0.0.1:<port>/<db>` of the proxy, the db taken from `upstreamUrl`. */
  readonly url: string;
  /** Command names received from clients (lower case) since the last {@link TcpProxy.resetCommands}, answered or not. */
  commands(): string[];
  resetCommands(): void;
  /** Connections open now. */
  connections(): number;
  /** Closes every connection, and every new one at once (as a Redis that is gone). */
  cut(): void;
  /**
   * Every connection, open or new, swallows what it is sent and answers nothing, as after a
   * silent network partition. Connections open now stay dead after {@link TcpProxy.restore}:
   * the client has to notice.
   */
  blackhole(): void;
  /** Replies reach clients `ms` late (in order). */
  delay(ms: number): void;
  /** New connections are forwarded again, replies undelayed. */
  restore(): void;
  /** Closes the listener and every connection. */
  close(): Promise<void>;
}

type Mode = 'forward' | 'cut' | 'blackhole';

interface Link {
  client: net.Socket;
  upstream?: net.Socket;
  dead: boolean;
}

/** Starts a proxy on a free local port forwarding to the Redis of `upstreamUrl`. */
export async function startTcpProxy(upstreamUrl: string): Promise<TcpProxy> {
  const target = new URL(upstreamUrl);
  const upstreamPort = Number(target.port || 6379);
  const upstreamHost = target.hostname || '127.0.0.1';
  const links = new Set<Link>();
  let mode: Mode = 'forward';
  let delayMs = 0;
  let seen: string[] = [];

  const server = net.createServer((client) => {
    const link: Link = { client, dead: mode === 'blackhole' };
    links.add(link);
    client.on('close', () => {
      links.delete(link);
      link.upstream?.destroy();
    });
    client.on('error', () => undefined);
    if (mode === 'cut') {
      client.destroy();
      return;
    }
    const parse = commandReader((name) => seen.push(name));
    const pending: Buffer[] = [];
    client.on('data', (chunk: Buffer) => {
      parse(chunk);
      if (link.dead) return;
      if (link.upstream?.readyState === 'open') link.upstream.write(chunk);
      else pending.push(chunk);
    });
    if (link.dead) return;
    const upstream = net.connect(upstreamPort, upstreamHost);
    link.upstream = upstream;
    // A black-holed link keeps its client connected: silence is the point.
    upstream.on('error', () => undefined);
    upstream.on('close', () => {
      if (!link.dead) client.destroy();
    });
    upstream.on('connect', () => {
      for (const chunk of pending.splice(0)) if (!link.dead) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (link.dead) return;
      if (delayMs > 0) {
        setTimeout(() => {
          if (!link.dead && !client.destroyed) client.write(chunk);
        }, delayMs).unref();
      } else client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const db = target.pathname.replace(/^\//, '');

  return {
    url: `redis://127.0.0.1:${port}${db ? `/${db}` : ''}`,
    commands: () => [...seen],
    resetCommands: () => {
      seen = [];
    },
    connections: () => links.size,
    cut: () => {
      mode = 'cut';
      for (const link of links) link.client.destroy();
    },
    blackhole: () => {
      mode = 'blackhole';
      for (const link of links) {
        link.dead = true;
        // Replies already on their way upstream are dropped with the upstream connection.
        link.upstream?.destroy();
      }
    },
    delay: (ms) => {
      delayMs = ms;
    },
    restore: () => {
      mode = 'forward';
      delayMs = 0;
    },
    close: async () => {
      for (const link of links) link.client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * An incremental reader of the RESP arrays of bulk strings a client sends (what ioredis
 * writes), calling `onCommand` with each command's name, lower case. Binary-safe: bulk
 * strings are skipped by their length.
 */
function commandReader(onCommand: (name: string) => void): (chunk: Buffer) => void {
  let buffer: Buffer = Buffer.alloc(0);
  // Elements left in the array being read, and whether its first (the name) is still to come.
  let left = 0;
  let first = false;
  return (chunk) => {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    let at = 0;
    for (;;) {
      const eol = buffer.indexOf('\r\n', at);
      if (eol < 0) break;
      const type = String.fromCharCode(buffer[at]);
      const n = Number(buffer.toString('latin1', at + 1, eol));
      if (left === 0) {
        if (type !== '*') {
          // An inline command (not what ioredis sends): its first word is the name.
          onCommand(buffer.toString('latin1', at, eol).split(' ')[0].toLowerCase());
          at = eol + 2;
          continue;
        }
        left = n;
        first = true;
        at = eol + 2;
        continue;
      }
      // A bulk string: `$<len>\r\n<bytes>\r\n`.
      const end = eol + 2 + n;
      if (buffer.length < end + 2) break;
      if (first) onCommand(buffer.toString('latin1', eol + 2, end).toLowerCase());
      first = false;
      left -= 1;
      at = end + 2;
    }
    buffer = buffer.subarray(at);
  };
}
