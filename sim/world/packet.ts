/** Nominal header bytes counted per datagram (IPv4 20 + UDP 8). */
export const UDP_OVERHEAD = 28;
/** Nominal header bytes counted per TCP segment (IPv4 20 + TCP 20, no options). */
export const TCP_OVERHEAD = 40;
/** The limited broadcast address: reaches the access network's own services (DHCP). */
export const BROADCAST = '255.255.255.255';
/** The unconfigured source address. */
export const ANY = '0.0.0.0';

/** TCP flags of a modelled segment. */
export const F_SYN = 1;
export const F_ACK = 2;
export const F_FIN = 4;
export const F_RST = 8;

/**
 * A packet as the world routes it. Not real IP: addresses, ports, the payload, and the number of bytes it
 * occupies on a link (payload plus the nominal header overhead).
 */
export interface Packet {
  proto: 'udp' | 'tcp';
  src: string;
  sport: number;
  dst: string;
  dport: number;
  data: Buffer;
  /** Bytes on the wire: payload + UDP_OVERHEAD or TCP_OVERHEAD. */
  size: number;
  /** TCP only. */
  flags: number;
  seq: number;
  ack: number;
}

/** A UDP packet. */
export function udpPacket(src: string, sport: number, dst: string, dport: number, data: Buffer): Packet {
  return { proto: 'udp', src: src, sport: sport, dst: dst, dport: dport, data: data, size: data.length + UDP_OVERHEAD, flags: 0, seq: 0, ack: 0 };
}
