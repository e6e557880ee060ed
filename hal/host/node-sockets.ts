import * as net from 'net';
import * as dgram from 'dgram';
import * as dns from 'dns';
import { NativeSockets, NativeTcp, NativeTcpHandlers, NativeUdp, NativeUdpHandlers } from '../sockets';

/**
 * NativeSockets over Node's real `net`, `dgram` and `dns`, for host tests against real brokers and
 * the real-time mode. Data crosses as binary (latin1) strings.
 */
export class NodeSockets implements NativeSockets {
  /** Sockets still open (tests close what they forgot with `destroyAll`). */
  open = new Set<net.Socket | dgram.Socket>();

  connect(host: string, port: number, h: NativeTcpHandlers): NativeTcp {
    var s = net.connect({ host: host, port: port });
    var done = false;
    var open = this.open;
    open.add(s);
    s.setNoDelay(true);
    s.on('connect', () => h.onConnect());
    s.on('data', (b: Buffer) => h.onData(b.toString('latin1')));
    s.on('drain', () => h.onDrain());
    var fin = (err: string | null) => {
      if (done) return;
      done = true;
      open.delete(s);
      h.onClose(err);
    };
    s.on('error', (e: NodeJS.ErrnoException) => fin(e.message || String(e.code || 'error')));
    s.on('close', () => fin(null));
    return {
      write: (data: string) => s.write(Buffer.from(data, 'latin1')),
      end: () => {
        s.end();
        setTimeout(() => s.destroy(), 1000).unref();
      },
    };
  }

  udp(port: number, h: NativeUdpHandlers): NativeUdp {
    var u = dgram.createSocket('udp4');
    var open = this.open;
    open.add(u);
    u.on('message', (m: Buffer, r: dgram.RemoteInfo) => h.onMessage(m.toString('latin1'), r.address, r.port));
    u.on('error', (e: Error) => h.onError(e.message));
    u.bind(port);
    return {
      send: (data: string, address: string, p: number) => u.send(Buffer.from(data, 'latin1'), p, address),
      close: () => {
        open.delete(u);
        try {
          u.close();
        } catch (e) {
          // already closed
        }
      },
    };
  }

  resolve(host: string, cb: (ip: string | null) => void): void {
    dns.lookup(host, { family: 4 }, (err, addr) => cb(err ? null : addr));
  }

  /** Destroys every socket still open. */
  destroyAll(): void {
    this.open.forEach((s) => ((s as net.Socket).destroy ? (s as net.Socket).destroy() : (s as dgram.Socket).close()));
    this.open.clear();
  }
}
