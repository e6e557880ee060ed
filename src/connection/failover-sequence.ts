import { IfKind } from '../net/types';
import { Storage } from '../../hal/storage';

/**
 * The failover sequence of Network.setServerInterfaces (impOS's imp.setserverinterfaces): an ordered list
 * of generic ids kept in Storage. Rules (DESIGN.md §5): generic ("ethernet", "wifi", "cell") or specific
 * ("eth0", "wl0", "cell0", or any id of the board's interfaces) ids; specific ids stored as generic;
 * duplicates removed; ids for hardware the board lacks ignored; an empty list restores the default order;
 * the manager appends the default order for the kinds left out (they stay enabled).
 */

/** Storage file of the sequence (a JSON array of generic ids). */
export const SEQ_FILE = 'ns.seq';

/** The generic ids. */
export var GENERIC_IDS: IfKind[] = ['ethernet', 'wifi', 'cell'];

/** The specific ids every board knows, with their kinds. */
export var SPECIFIC_IDS: { [id: string]: IfKind } = { eth0: 'ethernet', wl0: 'wifi', cell0: 'cell' };

/**
 * Normalises a list: generic ids kept, specific ids (`idKinds` adds the board's own) turned generic,
 * duplicates and kinds not in `present` dropped. Throws a TypeError for a non-array or an unknown id.
 */
export function normaliseSequence(list: any, present: IfKind[], idKinds: { [id: string]: IfKind }): IfKind[] {
  if (!Array.isArray(list)) throw new TypeError('setServerInterfaces: an array of interface ids is required');
  var out: IfKind[] = [];
  for (var i = 0; i < list.length; i++) {
    var id = list[i];
    if (typeof id !== 'string') throw new TypeError('setServerInterfaces: ids must be strings');
    var kind: IfKind | undefined;
    if (GENERIC_IDS.indexOf(id as IfKind) >= 0) kind = id as IfKind;
    else if (typeof idKinds[id] === 'string') kind = idKinds[id];
    else if (typeof SPECIFIC_IDS[id] === 'string') kind = SPECIFIC_IDS[id];
    if (!kind) throw new TypeError('setServerInterfaces: unknown interface id "' + id + '"');
    if (present.indexOf(kind) < 0 || out.indexOf(kind) >= 0) continue;
    out.push(kind);
  }
  return out;
}

/** The stored sequence of one device. */
export class FailoverSequence {
  _st: Storage;
  _present: IfKind[];
  _ids: { [id: string]: IfKind };
  _seq: IfKind[];
  /** Bumped on every change: the manager restarts its round at the list's first entry. */
  gen = 0;

  /** `present`: the kinds the board has; `idKinds`: its interface ids and their kinds. */
  constructor(storage: Storage, present: IfKind[], idKinds: { [id: string]: IfKind }) {
    this._st = storage;
    this._present = present;
    this._ids = idKinds;
    this._seq = this._load();
  }

  /** Sets (and stores) a new list; [] restores the default order. Returns the normalised list. */
  set(list: any): IfKind[] {
    var seq = normaliseSequence(list, this._present, this._ids);
    if (seq.length) this._st.writeJSON(SEQ_FILE, seq);
    else this._st.erase(SEQ_FILE);
    this._seq = seq;
    this.gen++;
    return seq.slice();
  }

  /** The normalised list as stored ([] when none). */
  get(): IfKind[] {
    return this._seq.slice();
  }

  /** Forgets the list (System.clearConfiguration). */
  clear(): void {
    this._st.erase(SEQ_FILE);
    this._seq = [];
    this.gen++;
  }

  _load(): IfKind[] {
    var v = this._st.readJSON(SEQ_FILE);
    if (!Array.isArray(v)) return [];
    try {
      return normaliseSequence(v, this._present, this._ids);
    } catch (e) {
      return [];
    }
  }
}
