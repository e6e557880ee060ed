import { IfKind } from './types';
import { Emitter } from '../util/emitter';

/**
 * The net/ contract: what every network interface (W5500 Ethernet, SIM7600 cellular, ESP32 Wi-Fi,
 * a host's native stack) offers the connection manager and the cloud client.
 *
 * Rules for implementers (after Zephyr's connectivity bindings):
 * - No call blocks. Results arrive through callbacks and the "state" event.
 * - Every state change goes through one place and emits `state(state, reason)`.
 * - An interface never decides retries or failover: it reports, the manager decides.
 * - Data is binary strings (one char per byte, 0–255).
 */

/** Options of a TCP client socket; the callbacks live here (ECMA-419 style), set before anything can fire. */
export interface TcpOptions {
  /** IPv4 dotted quad or a host name (resolved by the interface). */
  host: string;
  port: number;
  /** Connect timeout; the interface's default when omitted. */
  timeoutMs?: number;
  /**
   * TLS: the bytes are encrypted end to end, `onConnect` follows the handshake. Only on an interface whose
   * `canTls()` is true; elsewhere `tcp` returns null rather than connect in plain text.
   */
  tls?: boolean;
  /** Connected: writes are now accepted. */
  onConnect?: () => void;
  /** Bytes received, in order. */
  onData?: (data: string) => void;
  /** The socket is finished (never fires twice). `err` is an E_* code, E_OK for a normal close. */
  onClose?: (err: number) => void;
  /** Room again after a `write` that returned false. */
  onWritable?: () => void;
}

export interface TcpSocket {
  /**
   * Queues bytes to send. Returns false, accepting nothing, when they do not fit in the send buffer
   * (`onWritable` follows when there is room) or the socket is not connected.
   */
  write(data: string): boolean;
  /** Graceful close; `onClose(E_OK)` follows. Safe to call twice. */
  close(): void;
}

export interface UdpOptions {
  /** Local port, 0 = ephemeral. */
  port?: number;
  onMessage?: (data: string, host: string, port: number) => void;
  /** The socket cannot be used any more (interface down, chip failure). */
  onClose?: (err: number) => void;
}

export interface UdpSocket {
  /** Sends one datagram; false when it cannot be sent now (too big, no route, busy). */
  send(data: string, host: string, port: number): boolean;
  close(): void;
}

/** Addressing and link facts of an interface. */
export interface IfInfo {
  ip: string;
  netmask: string;
  gateway: string;
  dns: string;
  mac: string;
  /** dBm for radios (Wi-Fi, cellular); undefined for Ethernet. */
  rssi?: number;
}

/** Byte counters, counted at the interface (payload plus protocol bytes the interface itself sends). */
export interface IfCounters {
  tx: number;
  rx: number;
}

export interface NetInterface {
  /** Specific id: "eth0", "wl0", "cell0". */
  readonly id: string;
  readonly kind: IfKind;
  /** Current IF_* state. */
  state(): number;
  /** The R_* reason of the last failure (R_NONE when not failed). */
  reason(): number;
  /**
   * DESIGN.md §4 "configured": Wi-Fi has credentials, Ethernet detection is enabled and the chip answered,
   * cellular has a ready SIM.
   */
  configured(): boolean;
  /** Powers the interface up (off → powering_on → on). */
  on(): void;
  /** Powers it down; open sockets close with E_NETDOWN. */
  off(): void;
  /** Brings the link up to ready (link, address, DNS). Powers on first if needed. */
  connect(): void;
  /** Leaves ready (ready → disconnecting → on). */
  disconnect(): void;
  /**
   * Events: "state" (state, reason) on every lifecycle change; "link" (up: boolean) where the interface
   * can tell; "info" (IfInfo) when the address changes; "error" (Error) for a fault it recovered from.
   */
  readonly events: Emitter;
  info(): IfInfo;
  counters(): IfCounters;
  /** Optional: true when `tcp({tls: true})` is supported (absent means no TLS). */
  canTls?(): boolean;
  /** Opens a TCP client socket; returns null (and calls nothing) when none can be had now. */
  tcp(opts: TcpOptions): TcpSocket | null;
  /** Opens a UDP socket; returns null when none can be had now. */
  udp(opts: UdpOptions): UdpSocket | null;
  /** Resolves a host name to an IPv4 address; a dotted quad resolves to itself. `err` is E_OK or E_DNS/E_TIMEOUT/E_NETDOWN. */
  resolve(host: string, cb: (err: number, ip: string) => void): void;
}
