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
