import { Emitter } from '../util/emitter';
import { IfCounters, IfInfo } from './interface';
import { IfKind, IF_OFF, IF_FAILED, R_NONE, IF_STATES, REASONS } from './types';
import { Log, NULL_LOG, LOG_INFO } from '../../hal/log';
import { nameAt } from '../util/names';

/**
 * State keeping shared by every interface implementation: one numeric state, one transition method
 * that logs and emits, byte counters and addressing. Implementations extend it (one level only:
 * Espruino's `super` breaks past two levels of classes).
 */
export class IfBase {
  readonly id: string;
  readonly kind: IfKind;
  readonly events = new Emitter();
  _st = IF_OFF;
  _rs = R_NONE;
  _cnt: IfCounters = { tx: 0, rx: 0 };
  _info: IfInfo = { ip: '0.0.0.0', netmask: '0.0.0.0', gateway: '0.0.0.0', dns: '0.0.0.0', mac: '' };
  _log: Log;

  constructor(id: string, kind: IfKind, log?: Log) {
    this.id = id;
    this.kind = kind;
    this._log = log || NULL_LOG;
  }

  state(): number {
    return this._st;
  }

  reason(): number {
    return this._rs;
  }

  info(): IfInfo {
    return this._info;
  }

  counters(): IfCounters {
    return this._cnt;
  }

  /** The one transition: sets state and reason (reason only kept for IF_FAILED), logs, emits "state". */
  _set(state: number, reason?: number): void {
    var r = state === IF_FAILED ? reason || R_NONE : R_NONE;
    if (state === this._st && r === this._rs) return;
    this._st = state;
    this._rs = r;
    this._log.log(LOG_INFO, this.id, nameAt(IF_STATES, state) + (r ? ' (' + nameAt(REASONS, r) + ')' : ''));
    this.events.emit('state', state, r);
  }
}
