import { Storage, STORAGE_NAME_MAX } from '../storage';

/**
 * In-memory Storage with Espruino's rules (name length, a capacity in bytes). `snapshot()`/`restore`
 * let a test simulate a reboot: a new device built over the same contents.
 */
export class MemoryStorage implements Storage {
  files: { [name: string]: string } = {};
  constructor(public capacity = 896 * 1024) {}

  read(name: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(this.files, name) ? this.files[name] : undefined;
  }
  write(name: string, data: string): boolean {
    if (typeof name !== 'string' || !name.length || name.length > STORAGE_NAME_MAX) return false;
    var used = this.used() - (this.read(name) || '').length;
    if (used + data.length > this.capacity) return false;
    this.files[name] = String(data);
    return true;
  }
  readJSON(name: string): any {
    var s = this.read(name);
    if (s === undefined) return undefined;
    try {
      return JSON.parse(s);
    } catch (e) {
      return undefined;
    }
  }
  writeJSON(name: string, value: any): boolean {
    return this.write(name, JSON.stringify(value));
  }
  erase(name: string): void {
    delete this.files[name];
  }
  list(prefix?: string): string[] {
    return Object.keys(this.files)
      .filter((n) => !prefix || n.indexOf(prefix) === 0)
      .sort();
  }
  used(): number {
    var n = 0;
    for (var k in this.files) n += this.files[k].length;
    return n;
  }
}
