/** PEM (base64 with BEGIN/END lines), as pyOpenSSL's `FILETYPE_PEM`. */
export const FILETYPE_PEM = 1;
/** DER, as pyOpenSSL's `FILETYPE_ASN1`. */
export const FILETYPE_ASN1 = 2;
/** OpenSSL's human-readable text dump, as pyOpenSSL's `FILETYPE_TEXT`. */
export const FILETYPE_TEXT = 65535;

/** Key types: OpenSSL's NIDs, as pyOpenSSL's `TYPE_*`. */
export const TYPE_RSA = 6;
export const TYPE_DSA = 116;
export const TYPE_DH = 28;
export const TYPE_EC = 408;
export const TYPE_ED25519 = 1087;
export const TYPE_ED448 = 1088;

export type FileType = typeof FILETYPE_PEM | typeof FILETYPE_ASN1 | typeof FILETYPE_TEXT;
