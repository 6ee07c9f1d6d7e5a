import { native } from '@ossl/native';

import { guard } from './errors.js';
import { expectString } from './internal/args.js';
import { brandClass } from './internal/brand.js';

const constructing = Symbol('EllipticCurve');

/**
 * One of the elliptic curves OpenSSL has built in (pyOpenSSL's `_EllipticCurve`), as
 * `getEllipticCurves()` and `getEllipticCurve(name)` return them; `Context.setTmpEcdh` takes one.
 * There is one object per curve, so `===` compares curves.
 */
export class EllipticCurve {
  /** OpenSSL's short name of the curve (`prime256v1`, `secp384r1`, `brainpoolP256r1`, ...). */
  readonly name: string;

  static {
    brandClass(this, '@ossl/crypto:EllipticCurve');
  }

  /** @internal Made only by this module; use `getEllipticCurve(name)`. */
  constructor(name: string, token?: symbol) {
    if (token !== constructing) throw new TypeError('EllipticCurve objects come from getEllipticCurve(name) or getEllipticCurves()');
    this.name = name;
    Object.freeze(this);
  }

  /** The curve's name. */
  toString(): string {
    return this.name;
  }
}

let curves: ReadonlyMap<string, EllipticCurve> | undefined;

function builtin(): ReadonlyMap<string, EllipticCurve> {
  curves ??= new Map(guard(() => native.getBuiltinCurves()).map((name) => [name, new EllipticCurve(name, constructing)]));
  return curves;
}

/** Every elliptic curve OpenSSL has built in (pyOpenSSL's `get_elliptic_curves`), in a new Set each call. */
export function getEllipticCurves(): Set<EllipticCurve> {
  return new Set(builtin().values());
}

/**
 * The built-in curve named `name`, by OpenSSL's short name (pyOpenSSL's `get_elliptic_curve`).
 * @throws TypeError when `name` is not a string; RangeError (pyOpenSSL's ValueError) for an unknown name.
 */
export function getEllipticCurve(name: string): EllipticCurve {
  expectString(name, 'name');
  const curve = builtin().get(name);
  if (curve === undefined) throw new RangeError(`unknown curve name: ${JSON.stringify(name)}`);
  return curve;
}
