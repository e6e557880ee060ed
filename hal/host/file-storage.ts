import * as fs from 'fs';
import * as path from 'path';
import { MemoryStorage } from './memory-storage';

/** Storage persisted to one JSON file, for the simulator: a "flashed" board that keeps its config across runs. */
export class FileStorage extends MemoryStorage {
  constructor(private _file: string, capacity?: number) {
    super(capacity);
    try {
      this.files = JSON.parse(fs.readFileSync(_file, 'latin1'));
    } catch (e) {
      this.files = {};
    }
  }
  write(name: string, data: string): boolean {
    var ok = super.write(name, data);
    if (ok) this._flush();
    return ok;
  }
  erase(name: string): void {
    super.erase(name);
    this._flush();
  }
  private _flush(): void {
    fs.mkdirSync(path.dirname(this._file), { recursive: true });
    fs.writeFileSync(this._file, JSON.stringify(this.files), 'latin1');
  }
}
