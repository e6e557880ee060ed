import { Emitter } from '../util/emitter';
import { NetInterface } from '../net/interface';

/**
 * What the connection manager needs of the cloud session (implemented in src/cloud by the MQTT session).
 * The manager decides *where* the session runs; the cloud layer knows *how* to run it.
 *
 * Events on `events`:
 * - "up" (iface): the session is established (MQTT CONNACK accepted) over `iface`;
 * - "lost" (reason: number): an established session dropped (socket closed, keepalive timeout, protocol
 *   error); R_* reason, usually R_NO_SERVER;
 * - "rx": any inbound packet (proof of life for liveness checks).
 */
export interface CloudLink {
  readonly events: Emitter;
  /**
   * Opens the session over `iface` (resolving the cloud host through it). Calls `cb` exactly once:
   * R_NONE (0) when connected, else R_DNS_FAILED, R_NO_SERVER or R_NOT_AUTHORISED. A connect already in
   * progress is abandoned first.
   */
  connect(iface: NetInterface, cb: (reason: number) => void): void;
  /** Closes the session gracefully (MQTT DISCONNECT), or abandons a connect in progress. No "lost" event. */
  disconnect(): void;
  connected(): boolean;
  /** The interface carrying (or attempting) the session, or null. */
  iface(): NetInterface | null;
  /** Sends a liveness check now (MQTT PINGREQ); `cb(true)` on an answer within `timeoutMs`. */
  ping(timeoutMs: number, cb: (ok: boolean) => void): void;
  /** Clock time of the last inbound packet (0 = never). */
  lastRx(): number;
  /** Cloud host name and UDP echo port, for the manager's probes. */
  host(): string;
  echoPort(): number;
  /** The broker's TCP port (the probe's fallback times a TCP connect to it). */
  port(): number;
  /**
   * Optional, for make-before-break moves: opens a second session over `iface` while the current one keeps
   * running. On success (`cb(R_NONE)`) the new session replaces the old one, which is closed without a
   * "lost" event, and `iface()` returns the new interface. On failure (`cb(reason)`) the current session
   * continues untouched. `cb` is called exactly once; `disconnect()` abandons a handover in progress too.
   * Without it the manager moves break-before-make (disconnect, then connect).
   */
  handover?(iface: NetInterface, cb: (reason: number) => void): void;
  /** Optional: memory is low; free what can be rebuilt, never a QoS 1 message. */
  shed?(): void;
}
