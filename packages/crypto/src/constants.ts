/** PEM (base64 with BEGIN/END lines), as pyOpenSSL's `FILETYPE_PEM`. */
export const FILETYPE_PEM = 1;
/** DER, as pyOpenSSL's `FILETYPE_ASN1`. */
export const FILETYPE_ASN1 = 2;
/** OpenSSL's human-readable text dump, as pyOpenSSL's `FILETYPE_TEXT`. */
export const FILETYPE_TEXT = 65535;

// Key types are OpenSSL's NIDs, as pyOpenSSL's `TYPE_*` are.
/** RSA keys (`EVP_PKEY_RSA`), as pyOpenSSL's `TYPE_RSA`. */
export const TYPE_RSA = 6;
/** DSA keys (`EVP_PKEY_DSA`), as pyOpenSSL's `TYPE_DSA`. */
export const TYPE_DSA = 116;
/** Finite-field Diffie-Hellman keys (`EVP_PKEY_DH`), as pyOpenSSL's `TYPE_DH`. */
export const TYPE_DH = 28;
/** Elliptic-curve keys (`EVP_PKEY_EC`), as pyOpenSSL's `TYPE_EC`. */
export const TYPE_EC = 408;
/** Ed25519 keys (`EVP_PKEY_ED25519`). */
export const TYPE_ED25519 = 1087;
/** Ed448 keys (`EVP_PKEY_ED448`). */
export const TYPE_ED448 = 1088;

/** One of `FILETYPE_PEM`, `FILETYPE_ASN1` or `FILETYPE_TEXT`. */
export type FileType = typeof FILETYPE_PEM | typeof FILETYPE_ASN1 | typeof FILETYPE_TEXT;

/** `X509.checkPurpose`: TLS client (OpenSSL's `X509_PURPOSE_SSL_CLIENT`). */
export const X509_PURPOSE_SSL_CLIENT = 1;
/** `X509.checkPurpose`: TLS server. */
export const X509_PURPOSE_SSL_SERVER = 2;
/** `X509.checkPurpose`: Netscape TLS server (TLS server, with keyEncipherment). */
export const X509_PURPOSE_NS_SSL_SERVER = 3;
/** `X509.checkPurpose`: S/MIME signing. */
export const X509_PURPOSE_SMIME_SIGN = 4;
/** `X509.checkPurpose`: S/MIME encryption. */
export const X509_PURPOSE_SMIME_ENCRYPT = 5;
/** `X509.checkPurpose`: CRL signing. */
export const X509_PURPOSE_CRL_SIGN = 6;
/** `X509.checkPurpose`: any purpose. */
export const X509_PURPOSE_ANY = 7;
/** `X509.checkPurpose`: OCSP responder (helper). */
export const X509_PURPOSE_OCSP_HELPER = 8;
/** `X509.checkPurpose`: time-stamp signing. */
export const X509_PURPOSE_TIMESTAMP_SIGN = 9;
