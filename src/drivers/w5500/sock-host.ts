import { Clock } from '../../../hal/clock';
import { Log } from '../../../hal/log';
import { IfCounters } from '../../net/interface';
import { W5500Chip } from './chip';

/** Timing knobs the sockets read from their interface (all milliseconds). */
export interface SockTimes {
  /** TCP connect bound when the caller gives none. */
  connectMs: number;
  /** Graceful close bound (DISCON → CLOSED); then CLOSE. */
  closeMs: number;
  /** Bound on one outstanding SEND (SEND_OK or TIMEOUT should come first). */
  sendMs: number;
}

/** What a hardware socket needs from the interface that owns it (the W5500 interface implements it). */
export interface SockHost {
  _chip: W5500Chip;
  _clock: Clock;
  _log: Log;
  _cnt: IfCounters;
  _times: SockTimes;
  /** TX and RX buffer sizes per socket, in bytes. */
  _txSz: number[];
  _rxSz: number[];
  /** Bound on bytes queued in the driver per TCP socket (beyond the chip's buffer). */
  _txQMax: number;
  /** Frees hardware socket `n` (after its CLOSE). */
  _release(n: number): void;
  /** Asks for a poll soon (data queued, state changed). */
  _kick(): void;
}
