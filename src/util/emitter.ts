/**
 * A minimal event emitter for firmware objects (Espruino's own `on` is not available on the host, and
 * Node's EventEmitter not on the board). Listeners run synchronously in registration order; a throwing
 * listener does not stop the others.
 *
 * A listener may be given with its receiver (`on(event, this._onX, this)`, as Array's forEach takes a
 * thisArg): an object then needs no bound copy of its method per instance, which costs memory on the board.
 */
export class Emitter {
  // The listeners of an event live on the emitter itself, under "$" + the event's name: listener,
  // receiver, listener, receiver, ... (no map object per emitter; an event nobody listens to costs nothing).

  on(event: string, fn: (a?: any, b?: any, c?: any) => void, thisArg?: any): this {
    var ls: any = this;
    var l = ls['$' + event];
    if (!l) ls['$' + event] = l = [];
    l.push(fn, thisArg);
    return this;
  }

  /** Removes the first registration of `fn` with the same receiver. */
  off(event: string, fn: (a?: any, b?: any, c?: any) => void, thisArg?: any): this {
    var l = (this as any)['$' + event];
    if (l) {
      for (var i = 0; i < l.length; i += 2) {
        if (l[i] === fn && l[i + 1] === thisArg) {
          l.splice(i, 2);
          break;
        }
      }
    }
    return this;
  }

  emit(event: string, a?: any, b?: any, c?: any): void {
    var l = (this as any)['$' + event];
    if (!l) return;
    l = l.slice();
    for (var i = 0; i < l.length; i += 2) {
      try {
        l[i].call(l[i + 1], a, b, c);
      } catch (e) {
        if (event !== 'error') this.emit('error', e);
      }
    }
  }
}
