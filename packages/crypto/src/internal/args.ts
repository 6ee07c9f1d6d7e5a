// Argument checks shared by the ossl packages (as `@ossl/crypto/internal`): every message names the parameter.

/** A short description of `value` for error messages: its class name, `null`, `Buffer`, or its `typeof`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Buffer.isBuffer(value)) return 'Buffer';
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'object') {
    try {
      const name = (value as object).constructor?.name;
      return typeof name === 'string' && name.length > 0 ? name : 'object';
    } catch {
      return 'object'; // a Proxy or a throwing `constructor` getter
    }
  }
  return typeof value;
}

/** A TypeError (code `ERR_INVALID_ARG_TYPE`) saying `"param" must be <expected>, got <what value is>`. */
export function typeError(param: string, expected: string, value: unknown): TypeError {
  const err = new TypeError(`"${param}" must be ${expected}, got ${describe(value)}`);
  (err as TypeError & { code: string }).code = 'ERR_INVALID_ARG_TYPE';
  return err;
}

/**
 * `value` as bytes or text: a Buffer or string as it is, any other Uint8Array as a Buffer over the same memory.
 * @throws TypeError naming `param` for anything else.
 */
export function expectBytes(value: unknown, param: string): Buffer | string {
  if (typeof value === 'string' || Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw typeError(param, 'a Buffer or string', value);
}

/** `value`, which must be a string. @throws TypeError naming `param` otherwise. */
export function expectString(value: unknown, param: string): string {
  if (typeof value !== 'string') throw typeError(param, 'a string', value);
  return value;
}

/**
 * `value`, which must be a safe integer.
 * @throws TypeError naming `param` for a non-number; RangeError for a fraction, NaN or an unsafe integer.
 */
export function expectInteger(value: unknown, param: string): number {
  if (typeof value !== 'number') throw typeError(param, 'a number', value);
  if (!Number.isSafeInteger(value)) throw new RangeError(`"${param}" must be an integer, got ${value}`);
  return value;
}

/**
 * `value`, a Buffer or any Uint8Array, as a Buffer over the same bytes (no copy).
 * @throws TypeError naming `param` otherwise (`expected` says what was wanted).
 */
export function expectByteArray(value: unknown, param: string, expected = 'a Buffer'): Buffer {
  if (!(value instanceof Uint8Array)) throw typeError(param, expected, value);
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/** `value`, which must pass `instanceof Class` (branded: any copy of the class). @throws TypeError naming `param` otherwise. */
export function expectInstance<T>(value: unknown, Class: abstract new (...args: never[]) => T, param: string, expected: string): T {
  if (!(value instanceof Class)) throw typeError(param, expected, value);
  return value;
}

/**
 * `value`, which must be one of the `FILETYPE_*` numbers in `allowed`.
 * @throws TypeError for a non-integer; RangeError naming the allowed types for another number.
 */
export function expectFiletype(value: unknown, allowed: readonly number[], param = 'type'): number {
  const n = expectInteger(value, param);
  if (!allowed.includes(n)) {
    const names = allowed.map((t) => (t === 1 ? 'FILETYPE_PEM' : t === 2 ? 'FILETYPE_ASN1' : 'FILETYPE_TEXT'));
    throw new RangeError(`"${param}" must be ${names.join(', ').replace(/, ([^,]*)$/, ' or $1')}, got ${n}`);
  }
  return n;
}

/** A file path option: null when absent, a Buffer's text, or the string given. @throws TypeError naming `param` otherwise. */
export function expectOptionalPath(value: unknown, param: string): string | null {
  if (value === undefined || value === null) return null;
  if (Buffer.isBuffer(value)) return value.toString();
  return expectString(value, param);
}

/**
 * An options object reduced to its own enumerable properties, on a null prototype, so that a value
 * only an (attacker-polluted) `Object.prototype` holds reads as absent. `undefined` and `null` give
 * an empty object; anything else that is not an object is a TypeError naming `param`.
 */
export function ownOptions<T extends object>(value: T | null | undefined, param = 'options'): Partial<T> {
  if (value === undefined || value === null) return Object.create(null) as Partial<T>;
  if (typeof value !== 'object') throw typeError(param, 'an object', value);
  return Object.assign(Object.create(null) as Partial<T>, value);
}

/** Whether `options` has `key` as an own property set to exactly `false` (the only way to turn a security default off). */
export function isOwnFalse(options: object | null | undefined, key: string): boolean {
  return options !== null && options !== undefined && Object.hasOwn(options, key) && (options as Record<string, unknown>)[key] === false;
}
