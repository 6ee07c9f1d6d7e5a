// Trust anchors: where OpenSSL looks for CAs by default, and a per-process cache of the certificates
// parsed from those places, so that making many client contexts does not re-parse the CA bundle each
// time (node:tls likewise parses its roots once).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { loadCertificate, loadCrl, FILETYPE_PEM, type CRL, type X509 } from '@ossl/crypto';
import { native } from '@ossl/native';

/** Where OpenSSL looks for trusted CAs by default (Python's `ssl.get_default_verify_paths()`). */
export interface DefaultVerifyPaths {
  /** The CA file in effect (the environment variable, else the library default), or null when it is not a file. */
  readonly cafile: string | null;
  /** The CA directory in effect, or null when it is not a directory. */
  readonly capath: string | null;
  /** The environment variable that overrides the CA file (`SSL_CERT_FILE`). */
  readonly opensslCafileEnv: string;
  /** The CA file compiled into the OpenSSL that Node ships. */
  readonly opensslCafile: string;
  /** The environment variable that overrides the CA directory (`SSL_CERT_DIR`). */
  readonly opensslCapathEnv: string;
  /** The CA directory compiled into the OpenSSL that Node ships. */
  readonly opensslCapath: string;
}

function kind(path: string): 'file' | 'dir' | null {
  try {
    const st = statSync(path);
    return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : null;
  } catch {
    return null;
  }
}

/** The CA file and directory OpenSSL's default loading reads: the environment's, else the library's. */
export function defaultCaLocations(p = native.defaultVerifyPaths()): { cafile: string; capath: string } {
  return { cafile: process.env[p.cafileEnv] ?? p.cafile, capath: process.env[p.capathEnv] ?? p.capath };
}

/** The CA file and directory `setDefaultVerifyPaths` uses, as Python's `ssl.get_default_verify_paths()` reports them. */
export function getDefaultVerifyPaths(): DefaultVerifyPaths {
  const p = native.defaultVerifyPaths();
  const { cafile, capath } = defaultCaLocations(p);
  return Object.freeze({
    cafile: kind(cafile) === 'file' ? cafile : null,
    capath: kind(capath) === 'dir' ? capath : null,
    opensslCafileEnv: p.cafileEnv,
    opensslCafile: p.cafile,
    opensslCapathEnv: p.capathEnv,
    opensslCapath: p.capath,
  });
}

/** Whether the system has a CA store where OpenSSL looks by default. */
export function systemStoreExists(): boolean {
  const candidates = [process.env.SSL_CERT_FILE, process.env.SSL_CERT_DIR, '/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem', '/etc/ssl/certs'];
  return candidates.some((p) => typeof p === 'string' && p.length > 0 && existsSync(p));
}

const PEM_BLOCK = /-----BEGIN ((?:TRUSTED )?CERTIFICATE|X509 CRL)-----[\s\S]*?-----END \1-----/g;

/** The trust anchors and CRLs a CA file holds. */
export interface Anchors {
  readonly certs: readonly X509[];
  readonly crls: readonly CRL[];
}

const NONE: Anchors = Object.freeze({ certs: Object.freeze([]), crls: Object.freeze([]) });

/**
 * Every certificate and CRL of a PEM bundle. As OpenSSL's own loading of a CA file, one damaged
 * entry spoils the file: nothing of it is trusted.
 */
function parseAll(text: string): Anchors {
  const certs: X509[] = [];
  const crls: CRL[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    try {
      if (m[1] === 'X509 CRL') crls.push(loadCrl(FILETYPE_PEM, m[0]));
      else certs.push(loadCertificate(FILETYPE_PEM, m[0]));
    } catch {
      return NONE;
    }
  }
  return Object.freeze({ certs: Object.freeze(certs), crls: Object.freeze(crls) });
}

const fileCache = new Map<string, { stamp: string; anchors: Anchors }>();

/** What a CA file holds, parsed once and again only when its size, mtime or inode changes. */
export function cachedFileAnchors(file: string): Anchors {
  let stamp: string;
  try {
    const st = statSync(file);
    if (!st.isFile()) return NONE;
    stamp = `${st.size}:${st.mtimeMs}:${st.ino}`;
  } catch {
    return NONE;
  }
  const hit = fileCache.get(file);
  if (hit && hit.stamp === stamp) return hit.anchors;
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch {
    return NONE;
  }
  const anchors = parseAll(text);
  fileCache.set(file, { stamp, anchors });
  return anchors;
}

let nodeRoots: readonly X509[] | undefined;

/** Node's bundled roots (`tls.rootCertificates`), parsed once per process. */
export function cachedNodeRoots(): readonly X509[] {
  nodeRoots ??= Object.freeze(rootCertificates.map((pem) => loadCertificate(FILETYPE_PEM, pem)));
  return nodeRoots;
}
