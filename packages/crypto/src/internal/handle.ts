// Native handles cross package and copy boundaries (@ossl/ssl needs the X509 inside an X509, and the
// ESM build of @ossl/ssl may be handed a key made by the CJS build of @ossl/crypto) through one
// well-known symbol. A class keeps its handle in a private `#handle`, which only code of the same
// class copy can read; each class also defines a getter under `kHandle`, and since the key is a
// `Symbol.for` name, code of any copy reaches the handle of an object made by any other copy.
import { describe, typeError } from './args.js';

/** The key of the getter that returns an ossl object's native handle (the same in every copy). */
export const kHandle: unique symbol = Symbol.for('@ossl/native-handle') as never;

/** An object that exposes its native handle under `kHandle`. */
export interface HasHandle<H> {
  /** The native handle (internal). */
  readonly [kHandle]: H;
}

/** A native class of `@ossl/native` (`native.X509`, `native.PKey`, ...), as `handleOf` checks against. */
export type NativeClass<H> = abstract new (...args: never[]) => H;

/**
 * The native handle inside an ossl object, for the packages above this one and for objects made by
 * another copy of a package (its `#handle` is out of reach; its `kHandle` getter is not).
 *
 * With `kind`, the handle must also be an instance of that native class of this process's
 * `@ossl/native`: a forged object, one whose handle is of another kind, or one made by a second
 * copy of the addon is a TypeError here, before any native call. (The addon checks the type tag of
 * every handle it is given as well: that is the real safety net; this check gives the better message.)
 *
 * @param obj the object (already checked with `instanceof`, which a forged brand can pass).
 * @param kind the native class the handle must belong to, e.g. `native.X509`.
 * @param param the parameter's name, for the error message.
 * @param expected what the parameter must be (`'an X509'`), for the error message.
 * @returns the handle.
 * @throws TypeError when `obj` has no native handle of that kind; whatever the object's own getter
 *   throws (an empty `PKey` is a crypto.Error).
 */
export function handleOf<H>(obj: HasHandle<H>, kind?: NativeClass<H>, param = 'object', expected = 'an ossl object'): H {
  if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) throw typeError(param, expected, obj);
  let handle: unknown;
  try {
    handle = obj[kHandle];
  } catch (e) {
    // Reading `#handle` through the getter of a prototype the object was not made by (a forgery
    // such as `Object.create(X509.prototype)`) is V8's TypeError; say what was wrong instead.
    if (e instanceof TypeError) throw typeError(param, expected, obj);
    throw e;
  }
  if (handle === null || typeof handle !== 'object') throw typeError(param, expected, obj);
  if (kind !== undefined && !(handle instanceof kind)) {
    const err = new TypeError(
      `"${param}" must be ${expected}, got a ${describe(obj)} whose native handle is not one (a forged object, or one made by another copy of @ossl/native)`,
    );
    (err as TypeError & { code: string }).code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
  return handle as H;
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
