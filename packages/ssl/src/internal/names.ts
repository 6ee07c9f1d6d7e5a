// Names for numbers, for what util.inspect prints. Private to the package.
import {
  DTLS_CLIENT_METHOD,
  DTLS_METHOD,
  DTLS_SERVER_METHOD,
  DTLS1_2_VERSION,
  DTLS1_VERSION,
  SSLv23_METHOD,
  TLS_CLIENT_METHOD,
  TLS_METHOD,
  TLS_SERVER_METHOD,
  TLS1_1_VERSION,
  TLS1_2_VERSION,
  TLS1_3_VERSION,
  TLS1_VERSION,
  TLSv1_1_METHOD,
  TLSv1_2_METHOD,
  TLSv1_METHOD,
  VERIFY_CLIENT_ONCE,
  VERIFY_FAIL_IF_NO_PEER_CERT,
  VERIFY_PEER,
  VERIFY_POST_HANDSHAKE,
} from '../constants.js';

/** The `*_METHOD` constant's name for each method number. */
export const METHOD_NAMES: Readonly<Record<number, string>> = Object.freeze({
  [SSLv23_METHOD]: 'SSLv23_METHOD',
  [TLSv1_METHOD]: 'TLSv1_METHOD',
  [TLSv1_1_METHOD]: 'TLSv1_1_METHOD',
  [TLSv1_2_METHOD]: 'TLSv1_2_METHOD',
  [TLS_METHOD]: 'TLS_METHOD',
  [TLS_SERVER_METHOD]: 'TLS_SERVER_METHOD',
  [TLS_CLIENT_METHOD]: 'TLS_CLIENT_METHOD',
  [DTLS_METHOD]: 'DTLS_METHOD',
  [DTLS_SERVER_METHOD]: 'DTLS_SERVER_METHOD',
  [DTLS_CLIENT_METHOD]: 'DTLS_CLIENT_METHOD',
});

/** `TLSv1.3`, ... for a protocol version number (`SSL_SESSION_get_protocol_version`). */
export const VERSION_NAMES: Readonly<Record<number, string>> = Object.freeze({
  [TLS1_VERSION]: 'TLSv1',
  [TLS1_1_VERSION]: 'TLSv1.1',
  [TLS1_2_VERSION]: 'TLSv1.2',
  [TLS1_3_VERSION]: 'TLSv1.3',
  [DTLS1_VERSION]: 'DTLSv1',
  [DTLS1_2_VERSION]: 'DTLSv1.2',
});

/** `'VERIFY_PEER|VERIFY_FAIL_IF_NO_PEER_CERT'` for a verify mode; `'VERIFY_NONE'` for 0. */
export function verifyModeName(mode: number): string {
  const parts: string[] = [];
  const bits: [number, string][] = [
    [VERIFY_PEER, 'VERIFY_PEER'],
    [VERIFY_FAIL_IF_NO_PEER_CERT, 'VERIFY_FAIL_IF_NO_PEER_CERT'],
    [VERIFY_CLIENT_ONCE, 'VERIFY_CLIENT_ONCE'],
    [VERIFY_POST_HANDSHAKE, 'VERIFY_POST_HANDSHAKE'],
  ];
  let rest = mode;
  for (const [bit, name] of bits) {
    if (mode & bit) {
      parts.push(name);
      rest &= ~bit;
    }
  }
  if (rest !== 0) parts.push(`0x${rest.toString(16)}`);
  return parts.length === 0 ? 'VERIFY_NONE' : parts.join('|');
}
