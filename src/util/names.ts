/**
 * Name tables as one comma-separated string ("off,on,failed") rather than an array of strings: on the
 * board an array costs a few variable blocks per entry, the string a handful for the whole list. They
 * exist for logs, metrics and argument checks, so the split is made only when a name is asked for.
 */

/** The `i`-th name of a comma-separated list (undefined past its end). */
export function nameAt(list: string, i: number): string {
  return list.split(',')[i];
}

/** True when `name` is one of the names of a comma-separated list. */
export function inList(list: string, name: string): boolean {
  return name.indexOf(',') < 0 && (',' + list + ',').indexOf(',' + name + ',') >= 0;
}
