import { Storage, STORAGE_NAME_MAX } from '../storage';

/**
 * Espruino's flash Storage (`require("Storage")`). Writes return false instead of throwing (flash full,
 * bad name); reads of a missing or unparsable file give undefined. `list()` without a prefix leaves out
 * the system files whose names start with "." (`.bootcde`, `.boot0`...), so clearing "everything listed"
 * never erases the saved program.
 */
export class EspruinoStorage implements Storage {
  _s: EspruinoStorageModule;

  /** `storage` replaces `require("Storage")` (tests). */
  constructor(o?: { storage?: EspruinoStorageModule }) {
    this._s = (o && o.storage) || require('Storage');
  }

  read(name: string): string | undefined {
    try {
      var v = this._s.read(name);
      return typeof v === 'string' ? v : undefined;
    } catch (e) {
      return undefined;
    }
  }

  write(name: string, data: string): boolean {
    if (!name || name.length > STORAGE_NAME_MAX) return false;
    try {
      return this._s.write(name, data) !== false;
    } catch (e) {
      return false;
    }
  }

  /**
   * Storage's own readJSON: a file written at the console with `require("Storage").writeJSON` can hold
   * Espruino's JSON dialect (unquoted keys), which JSON.parse rejects. Corrupt or absent: undefined.
   */
  readJSON(name: string): any {
    try {
      var v = this._s.readJSON(name, true);
      return v === null ? undefined : v;
    } catch (e) {
      return undefined;
    }
  }

  writeJSON(name: string, value: any): boolean {
    return this.write(name, JSON.stringify(value));
  }

  erase(name: string): void {
    try {
      this._s.erase(name);
    } catch (e) {
      // nothing to erase
    }
  }

  list(prefix?: string): string[] {
    var all: string[];
    try {
      all = this._s.list(undefined, { sf: false });
    } catch (e) {
      return [];
    }
    var out: string[] = [];
    for (var i = 0; i < all.length; i++) {
      var n = all[i];
      if (prefix ? n.indexOf(prefix) === 0 : n.charAt(0) !== '.') out.push(n);
    }
    out.sort();
    return out;
  }
}
