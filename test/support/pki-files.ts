// A test PKI written to PEM files for peers that read files (openssl, python, nginx, gnutls).
import { dumpCertificate, dumpPrivatekey, FILETYPE_PEM } from '@ossl/crypto';
import { tempFiles, type Pki } from '@ossl/testkit';

/** ca.pem, server.pem/.key and client.pem/.key in a temporary folder; `cleanup` is registered. */
export function pkiFiles(pki: Pki, registerCleanup: (fn: () => void) => void) {
  const files = tempFiles({
    'ca.pem': dumpCertificate(FILETYPE_PEM, pki.ca.cert),
    'server.pem': dumpCertificate(FILETYPE_PEM, pki.server.cert),
    'server.key': dumpPrivatekey(FILETYPE_PEM, pki.server.key),
    'client.pem': dumpCertificate(FILETYPE_PEM, pki.client.cert),
    'client.key': dumpPrivatekey(FILETYPE_PEM, pki.client.key),
  });
  registerCleanup(files.cleanup);
  return files;
}
