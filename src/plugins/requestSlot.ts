/**
 * A place for one plugin's per-request state, kept on the Request object itself under a private symbol: it
 * lives and dies with the request, as an entry of a WeakMap keyed by requests would, but costs the garbage
 * collector nothing extra (every WeakMap entry is an ephemeron it must trace again, on every request).
 */
export interface RequestSlot<T> {
  get(request: Request): T | undefined;
  set(request: Request, value: T | undefined): void;
}

export function requestSlot<T>(name: string): RequestSlot<T> {
  const key = Symbol(name);
  type Holder = Record<symbol, T | undefined>;
  return {
    get: (request) => (request as unknown as Holder)[key],
    set: (request, value) => {
      (request as unknown as Holder)[key] = value;
    },
  };
}
