// Class identity that survives more than one copy of a class. tsup emits an ESM and a CJS build,
// each with its own class objects, and an application can hold two installed copies of a package;
// `instanceof` by identity then says no to a key made by the other copy. Every public class is
// therefore branded: its prototype holds a well-known `Symbol.for` key naming the class, and its
// `Symbol.hasInstance` looks for that name along the value's prototype chain. Errors use the same
// mechanism (see errors.ts).
//
// A brand is a claim, not a proof: anyone can put one on an object. It only decides which argument
// checks an object passes; the native handle inside (read through `kHandle`, see handle.ts) is what
// the addon uses, and the addon checks its type tag, so a forged or foreign object is a TypeError.

/** The prototype key that names a branded class (shared by every copy of every ossl package). */
export const kBrand: unique symbol = Symbol.for('@ossl/brand') as never;

/** Upper bound on the prototype chain walked (a Proxy can make an endless one). */
const MAX_CHAIN = 1000;

const ordinaryHasInstance = Function.prototype[Symbol.hasInstance];

/** The brand a prototype holds as its own property, or undefined. */
function ownBrand(proto: unknown): string | undefined {
  if (proto === null || (typeof proto !== 'object' && typeof proto !== 'function')) return undefined;
  const d = Object.getOwnPropertyDescriptor(proto, kBrand);
  return d !== undefined && typeof d.value === 'string' ? d.value : undefined;
}

/**
 * `Symbol.hasInstance` of a branded class: whether `value` has a prototype branded with this class's
 * name. A subclass that is not branded itself (`class Mine extends X509`) is matched by identity, as
 * `instanceof` always does, so `new X509() instanceof Mine` stays false.
 */
function hasBrandedInstance(this: unknown, value: unknown): boolean {
  if (typeof this !== 'function') return false;
  const wanted = ownBrand((this as { prototype?: unknown }).prototype);
  if (wanted === undefined) return ordinaryHasInstance.call(this, value);
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  try {
    let p: unknown = Object.getPrototypeOf(value);
    for (let i = 0; p !== null && i < MAX_CHAIN; i++, p = Object.getPrototypeOf(p)) {
      if (ownBrand(p) === wanted) return true;
    }
  } catch {
    // A revoked Proxy, or a getPrototypeOf trap that throws: not one of ours.
  }
  return false;
}

/**
 * Brands `Class` as `name` (`'@ossl/<package>:<Class>'`): its instances, and instances of the same
 * class from any other copy of the package (the CJS build beside the ESM one, a second installed
 * copy), pass `instanceof Class`. Call it once per class, from a static block.
 */
export function brandClass(Class: { readonly prototype: object }, name: string): void {
  Object.defineProperty(Class.prototype, kBrand, { value: name, enumerable: false, writable: false, configurable: false });
  Object.defineProperty(Class, Symbol.hasInstance, { value: hasBrandedInstance, enumerable: false, writable: false, configurable: true });
}

