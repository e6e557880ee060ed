/** A fake UdpSocket factory for the DHCP and DNS client tests: records what is sent, lets tests answer. */
import { UdpOptions, UdpSocket } from '../../src/net/interface';

export interface Sent {
  data: string;
  host: string;
  port: number;
}

export class FakeUdp {
  opened: UdpOptions[] = [];
  sent: Sent[] = [];
  open: UdpOptions | null = null;
  fail = false;
  closes = 0;

  factory = (o: UdpOptions): UdpSocket | null => {
    if (this.fail) return null;
    this.opened.push(o);
    this.open = o;
    var self = this, live = true;
    return {
      send(data: string, host: string, port: number) {
        if (!live) throw new Error('send on a closed socket');
        self.sent.push({ data: data, host: host, port: port });
        return true;
      },
      close() {
        if (live) self.closes++;
        live = false;
        if (self.open === o) self.open = null;
      },
    };
  };

  /** Delivers a datagram to the open socket. */
  reply(data: string, host: string, port: number): void {
    if (this.open && this.open.onMessage) this.open.onMessage(data, host, port);
  }
}
