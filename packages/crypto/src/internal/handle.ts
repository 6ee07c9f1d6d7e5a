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
