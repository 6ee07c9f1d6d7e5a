// node:tls's convertALPNProtocols: ALPN protocol names in node's wire format.

/**
 * ALPN protocols in node's wire format, as node:tls's `convertALPNProtocols(protocols, out)`: an array
 * of names is encoded (each name at most 255 bytes), bytes in any view are copied as they are; the
 * result goes to `out.ALPNProtocols`.
 * @throws RangeError (`ERR_OUT_OF_RANGE`) for a name longer than 255 bytes.
 */
export function convertALPNProtocols(protocols: unknown, out: { ALPNProtocols?: Buffer }): void {
  if (Array.isArray(protocols)) {
    const parts: Buffer[] = [];
    protocols.forEach((p: unknown, i) => {
      const bytes = typeof p === 'string' ? Buffer.from(p) : Buffer.from(p as Uint8Array);
      if (bytes.length > 255) {
        throw Object.assign(new RangeError(`The byte length of the protocol at index ${i} exceeds the maximum length. It must be <= 255. Received ${bytes.length}`), { code: 'ERR_OUT_OF_RANGE' });
      }
      parts.push(Buffer.from([bytes.length]), bytes);
    });
    out.ALPNProtocols = Buffer.concat(parts);
  } else if (ArrayBuffer.isView(protocols)) {
    // A copy, so that later changes to the caller's bytes do not reach the socket.
    out.ALPNProtocols = Buffer.from(protocols.buffer.slice(protocols.byteOffset, protocols.byteOffset + protocols.byteLength));
  }
}

