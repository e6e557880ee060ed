/**
 * Non-volatile key/value storage (Espruino's `require("Storage")`). Names are at most 28 characters.
 * Writes return false instead of throwing when the flash is full or the name is invalid.
 */
export interface Storage {
  /** The stored string, or undefined. */
  read(name: string): string | undefined;
  write(name: string, data: string): boolean;
  /** The parsed JSON value, or undefined when absent or unparsable. */
  readJSON(name: string): any;
  writeJSON(name: string, value: any): boolean;
  erase(name: string): void;
  /** Names that start with `prefix` (all when omitted), sorted. */
  list(prefix?: string): string[];
}

/** Longest file name Espruino's Storage accepts. */
export const STORAGE_NAME_MAX = 28;
