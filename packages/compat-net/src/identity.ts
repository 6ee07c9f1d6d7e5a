// node:tls's checkServerIdentity and verification errors. The match itself is always OpenSSL's
// (X509_check_host / X509_check_ip, no partial wildcards); node's wording is kept for the error, so
// code that reads `err.code`, `err.reason`, `err.host` keeps working.
import net from 'node:net';
import { FILETYPE_ASN1, loadCertificate, X509, X509Extension } from '@ossl/crypto';
import type { CertificateVerifyError } from '@ossl/ssl';

import { invalidArgType } from './internal/node-errors.js';

const X509_V_ERR_HOSTNAME_MISMATCH = 62;
const X509_V_ERR_IP_ADDRESS_MISMATCH = 64;

/** A peer certificate object as node:tls's `getPeerCertificate()` returns it (the fields read here). */
export interface PeerCertificateLike {
  /** The DER certificate. */
  raw?: Buffer;
  /** The subject's fields. */
  subject?: Record<string, string | string[]>;
  /** `DNS:a.example, IP Address:127.0.0.1, ...`. */
  subjectaltname?: string;
  [key: string]: unknown;
}

/** The names in node's `subjectaltname` text. */
function altNames(cert: PeerCertificateLike): { dns: string[]; ips: string[]; text: string } {
  const text = typeof cert.subjectaltname === 'string' ? cert.subjectaltname : '';
  const dns: string[] = [];
  const ips: string[] = [];
  for (const part of text.split(', ')) {
    if (part.startsWith('DNS:')) dns.push(part.slice(4));
    else if (part.startsWith('IP Address:')) ips.push(part.slice(11));
  }
  return { dns, ips, text };
}

/** A name from a hand-made certificate object, without the trailing dot of a fully qualified name. */
function unfqdn(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/**
 * The certificates OpenSSL matches against: the DER in `raw`, or, for an object without it (built by
 * hand), certificates made of its subject CN(s) and subjectAltName, so the matcher stays OpenSSL's.
 * A name matches when it matches any of them (OpenSSL checks every CN of one certificate too).
 */
function certificatesOf(cert: PeerCertificateLike): X509[] {
  if (cert.raw instanceof Uint8Array) return [loadCertificate(FILETYPE_ASN1, Buffer.from(cert.raw))];
  const cn = cert.subject?.CN;
  const cns = Array.isArray(cn) ? cn : typeof cn === 'string' ? [cn] : [];
  const { dns, ips } = altNames(cert);
  const san = [...dns.map((d) => `DNS:${unfqdn(d)}`), ...ips.filter((ip) => net.isIP(ip)).map((ip) => `IP:${ip}`)];
  const make = (commonName: string | null): X509 => {
    const x = new X509();
    if (commonName !== null) {
      const subject = x.getSubject();
      subject.CN = unfqdn(commonName);
      x.setSubject(subject);
    }
    if (san.length > 0) x.addExtensions([new X509Extension('subjectAltName', false, san.join(','))]);
    return x;
  };
  return cns.length === 0 ? [make(null)] : cns.map((name) => make(name));
}

/** node's ERR_TLS_CERT_ALTNAME_INVALID. */
function altnameError(reason: string, host: string, cert: unknown): Error {
  const err = new Error(`Hostname/IP does not match certificate's altnames: ${reason}`) as Error & Record<string, unknown>;
  Object.assign(err, { code: 'ERR_TLS_CERT_ALTNAME_INVALID', reason, host, cert });
  return err;
}

/** node's reason text for a name the certificate does not cover. */
function mismatchReason(hostname: string, cert: PeerCertificateLike): string {
  const { dns, ips, text } = altNames(cert);
  // node lists the IP names it could read (an unreadable one, such as a CIDR range, as empty).
  if (net.isIP(hostname)) return `IP: ${hostname} is not in the cert's list: ${ips.map((ip) => (net.isIP(ip) ? ip : '')).join(', ')}`;
  const cn = cert.subject?.CN;
  if (dns.length > 0) return `Host: ${hostname}. is not in the cert's altnames: ${text}`;
  if (cn !== undefined) return `Host: ${hostname}. is not cert's CN: ${Array.isArray(cn) ? cn.join(', ') : cn}`;
  return 'Cert does not contain a DNS name';
}

/**
 * node:tls's `checkServerIdentity(hostname, cert)`: undefined when `cert` (a `getPeerCertificate()`
 * object) is valid for `hostname`, else node's `ERR_TLS_CERT_ALTNAME_INVALID` error (with `reason`,
 * `host`, `cert`). The match is OpenSSL's: wildcards only as a whole leftmost label, IP addresses
 * only against IP names, the CN only when there is no DNS name.
 */
export function checkServerIdentity(hostname: string, cert: PeerCertificateLike): Error | undefined {
  if (cert === null || typeof cert !== 'object') throw invalidArgType('cert', 'object', cert);
  // As node:tls: the host name is coerced to a string, and a trailing dot dropped.
  const name = `${hostname as unknown as string}`;
  const host = name.endsWith('.') ? name.slice(0, -1) : name;
  let ok = false;
  try {
    ok = certificatesOf(cert).some((x) => x.checkHost(host));
  } catch {
    ok = false;
  }
  if (ok) return undefined;
  return altnameError(mismatchReason(host, cert), host, cert);
}

/**
 * OpenSSL's verdict as node:tls reports it: the host mismatches as ERR_TLS_CERT_ALTNAME_INVALID,
 * every other failure as an Error with OpenSSL's text and node's code (`CERT_HAS_EXPIRED`, ...).
 */
export function verifyErrorOf(verdict: CertificateVerifyError, name: string | null, peer: X509 | null): Error {
  if ((verdict.verifyCode === X509_V_ERR_HOSTNAME_MISMATCH || verdict.verifyCode === X509_V_ERR_IP_ADDRESS_MISMATCH) && name !== null) {
    let certObject: PeerCertificateLike = {};
    if (peer !== null) {
      try {
        const x = peer.toX509Certificate();
        certObject = (x as unknown as { toLegacyObject(): PeerCertificateLike }).toLegacyObject();
      } catch {
        // An object without fields still carries the reason.
      }
    }
    return altnameError(mismatchReason(name, certObject), name, certObject);
  }
  const err = new Error(verdict.verifyMessage) as Error & Record<string, unknown>;
  err.code = verdict.code;
  Object.defineProperty(err, 'verifyCode', { value: verdict.verifyCode, enumerable: false, configurable: true, writable: true });
  return err;
}
