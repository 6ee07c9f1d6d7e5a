// M2Crypto's SSL.Checker: host name by OpenSSL's matcher and an optional SHA-256 pin.
import { X509 } from '@ossl/crypto';
import { brandClass, typeError } from '@ossl/crypto/internal';

import { WrongCertificate, WrongHost } from './errors.js';
import { show, validateHost } from './internal/validate.js';

/**
 * M2Crypto's `SSL.Checker`: checks the peer certificate against a host name with OpenSSL's own
 * matcher (`X509_check_host` without partial wildcards: `*.example.com` matches one label,
 * `f*.example.com` matches nothing; an IP address is matched against iPAddress names) and, when
 * given, a pinned SHA-256 fingerprint (`AB:CD:...` or plain hex, 64 digits).
 *
 * @throws TypeError when `host` is not a host name or IP address, or `fingerprint` not a SHA-256 fingerprint.
 */
export class Checker {
  /** The host name or IP address the certificate must match, or null to use the connection's host. */
  readonly host: string | null;
  /** The pinned SHA-256 fingerprint as 64 upper-case hex digits, or null for none. */
  readonly fingerprint: string | null;

  static {
    brandClass(this, '@ossl/https-client:Checker');
  }

  /**
   * @param host the name to check instead of the connection's host, or null.
   * @param fingerprint a SHA-256 fingerprint to pin (`AB:CD:...` or plain hex), or null.
   */
  constructor(host: string | null = null, fingerprint: string | null = null) {
    this.host = host === null || host === undefined ? null : validateHost(host, 'host');
    if (fingerprint === null || fingerprint === undefined) {
      this.fingerprint = null;
    } else {
      if (typeof fingerprint !== 'string') throw typeError('fingerprint', 'a SHA-256 fingerprint (hex string)', fingerprint);
      const hex = fingerprint.replace(/:/g, '').toUpperCase();
      if (!/^[0-9A-F]{64}$/.test(hex)) {
        throw Object.assign(new TypeError(`Invalid fingerprint ${show(fingerprint)}: it must be a SHA-256 fingerprint, 64 hex digits (colons allowed)`), { code: 'ERR_INVALID_ARG_VALUE' });
      }
      this.fingerprint = hex;
    }
  }

  /**
   * Checks `peerCert`: the pinned fingerprint, then the host name (the Checker's own, else `host`).
   * @returns true.
   * @throws WrongCertificate when there is no certificate or the fingerprint differs; WrongHost when
   *   the name does not match; TypeError for arguments of the wrong type.
   */
  check(peerCert: X509 | null, host: string | null = null): boolean {
    if (peerCert !== null && !(peerCert instanceof X509)) throw typeError('peerCert', 'an X509 or null', peerCert);
    if (host !== null && host !== undefined && typeof host !== 'string') throw typeError('host', 'a string or null', host);
    if (peerCert === null) throw new WrongCertificate('the peer sent no certificate', 'ERR_NO_PEER_CERTIFICATE');
    if (this.fingerprint !== null) {
      const got = peerCert.digest('sha256').replace(/:/g, '').toUpperCase();
      if (got !== this.fingerprint) throw new WrongCertificate(`certificate fingerprint ${got} does not match the pinned ${this.fingerprint}`, 'ERR_FINGERPRINT_MISMATCH');
    }
    // The host the Checker was made for wins; otherwise the host the connection was opened to.
    const name = this.host ?? (host === null || host === undefined ? null : host.replace(/^\[(.*)\]$/, '$1'));
    // OpenSSL's matcher (X509.checkHost passes X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS); no hand-written one.
    if (name !== null && !peerCert.checkHost(name)) {
      throw new WrongHost(`the certificate does not match host ${name}`, 'HOSTNAME_MISMATCH');
    }
    return true;
  }
}

