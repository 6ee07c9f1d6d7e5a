// Checking a stapled OCSP response on a client (Context.requireOcspStaple): OpenSSL's OCSP
// verification against the Context's trust store, then the server certificate's status.
import { CryptoError, OCSPResponse, type X509, type X509Store } from '@ossl/crypto';

import type { Connection } from './connection.js';
import { CertificateVerifyError, SSLError } from './errors.js';

/** X509_V_ERR_CERT_REVOKED, which node:tls names CERT_REVOKED. */
const X509_V_ERR_CERT_REVOKED = 23;

/** Options of `Context.requireOcspStaple`. */
export interface OcspStapleOptions {
  /** Fail when the server staples nothing (default true); with false, only a stapled response is checked. */
  required?: boolean;
  /** Seconds of clock difference tolerated on thisUpdate and nextUpdate (default 300). */
  clockSkew?: number;
  /** The oldest thisUpdate accepted, in seconds before now; -1 (the default) for any. */
  maxAge?: number;
}

function stapleError(message: string, code: string, cause?: unknown): SSLError {
  const errors = cause instanceof CryptoError ? cause.errors : [];
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new SSLError(`${message}${detail}`, errors, code);
}

/** The certificate that issued `leaf`: from the verified chain, else from the chain the server sent. */
function issuerOf(conn: Connection, leaf: X509): X509 | null {
  const verified = conn.getVerifiedChain();
  if (verified !== null && verified.length > 1) return verified[1]!;
  const issuerName = leaf.getIssuer();
  for (const c of conn.getPeerCertChain() ?? []) {
    if (c.getSubject().equals(issuerName) && c.digest('sha256') !== leaf.digest('sha256')) return c;
  }
  return null;
}

/**
 * Checks the staple of `conn` (`response` parsed from `der`); returns true to go on, or throws the
 * error that fails the handshake.
 */
export function checkStaple(
  conn: Connection,
  der: Buffer,
  response: OCSPResponse | null,
  store: X509Store,
  options: Required<OcspStapleOptions>,
): boolean {
  // A resumed session was checked when it was made; TLS 1.3 resumption sends no certificate to staple for.
  if (der.length === 0 && conn.sessionReused()) return true;
  if (der.length === 0) {
    if (!options.required) return true;
    throw new SSLError('the server stapled no OCSP response', [], 'ERR_OCSP_STAPLE_MISSING');
  }
  if (response === null) {
    try {
      OCSPResponse.fromDER(der);
    } catch (e) {
      throw stapleError('the stapled OCSP response is not one', 'ERR_OCSP_STAPLE_INVALID', e);
    }
    throw new SSLError('the stapled OCSP response is not one', [], 'ERR_OCSP_STAPLE_INVALID');
  }
  if (response.status !== 0) {
    throw new SSLError(`the stapled OCSP response has no content: its status is ${response.statusName ?? response.status}`, [], 'ERR_OCSP_STAPLE_INVALID');
  }
  const leaf = conn.getPeerCertificate();
  if (leaf === null) throw new SSLError('the server sent no certificate to check the OCSP response against', [], 'ERR_OCSP_STAPLE_INVALID');
  const issuer = issuerOf(conn, leaf);
  if (issuer === null) throw new SSLError("the server certificate's issuer is not known: the OCSP response cannot be checked", [], 'ERR_OCSP_STAPLE_INVALID');
  try {
    response.verify(store, { certificates: conn.getPeerCertChain() ?? [] });
  } catch (e) {
    throw stapleError('the stapled OCSP response does not verify', 'ERR_OCSP_STAPLE_INVALID', e);
  }
  let status;
  try {
    status = response.getStatus(leaf, issuer, { clockSkew: options.clockSkew, maxAge: options.maxAge });
  } catch (e) {
    throw stapleError('the stapled OCSP response is not current', 'ERR_OCSP_STAPLE_INVALID', e);
  }
  if (status === null) throw new SSLError('the stapled OCSP response does not cover the server certificate', [], 'ERR_OCSP_STAPLE_INVALID');
  if (status.status === 'revoked') {
    // The verdict is the Connection's too (getVerifyResult, getVerifyError), as for a revoked CRL entry.
    conn.setVerifyResult(X509_V_ERR_CERT_REVOKED);
    const e = new CertificateVerifyError(X509_V_ERR_CERT_REVOKED, 'certificate revoked');
    e.message = `certificate verify failed: certificate revoked${status.revocationReason ? ` (${status.revocationReason})` : ''} at ${status.revocationTime?.toISOString() ?? 'an unknown time'}, says the stapled OCSP response`;
    throw e;
  }
  if (status.status !== 'good') throw new SSLError("the stapled OCSP response does not know the server certificate's status", [], 'ERR_OCSP_STATUS_UNKNOWN');
  return true;
}
