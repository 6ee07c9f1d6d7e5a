// Native handles cross package boundaries (@ossl/ssl needs the X509 inside an X509) through one
// well-known symbol, so two installed copies of @ossl/crypto still interoperate.
export const kHandle: unique symbol = Symbol.for('@ossl/native-handle') as never;

export interface HasHandle<H> {
  readonly [kHandle]: H;
}

/** The native handle inside an ossl object (for the packages above this one). */
export function handleOf<H>(obj: HasHandle<H>): H {
  return obj[kHandle];
}

/**
 * Hands a native handle to a class's own constructor, where private fields must be set: a factory
 * calls `adopt(handle, () => new Class())`, and the constructor begins with `take()`, which is null
 * for a plain `new`. A handle never outlives the construction it was meant for.
 */
export class Adoption<H> {
  #pending: H | null = null;

  /** Runs `construct` with `handle` waiting for the constructor's `take()`. */
  adopt<T>(handle: H, construct: () => T): T {
    this.#pending = handle;
    try {
      return construct();
    } finally {
      this.#pending = null;
    }
  }

  /** The handle a factory is passing in, or null. */
  take(): H | null {
    const handle = this.#pending;
    this.#pending = null;
    return handle;
  }
}
