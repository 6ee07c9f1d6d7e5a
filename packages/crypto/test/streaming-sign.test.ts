// PKey.signInit/signUpdate/signFinal and verifyInit/verifyUpdate/verifyFinal (M2Crypto's streaming
// sign_* and verify_*), with M2Crypto (Debian's python3-m2crypto) and node:crypto as oracles.
import { spawnSync } from 'node:child_process';
import { createPublicKey, createVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { CryptoError, dumpPrivatekey, dumpPublickey, FILETYPE_PEM, loadPublickey, PKey, TYPE_EC, TYPE_ED25519, TYPE_RSA } from '../src/index.js';

const CHUNKS = ['streamed ', 'in ', 'several ', Buffer.from('pieces'), ''];
const WHOLE = Buffer.concat(CHUNKS.map((c) => Buffer.from(c)));

function m2(script: string, input: object): Record<string, unknown> {
  const r = spawnSync('/usr/bin/python3', ['-c', `import json, sys\nfrom M2Crypto import EVP, BIO\nreq = json.load(sys.stdin)\n${script}`], { input: JSON.stringify(input), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`M2Crypto is missing or failed (the test command installs python3-m2crypto): ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

function streamSign(key: PKey, digest: string | null = 'sha256'): Buffer {
  key.signInit(digest);
  for (const c of CHUNKS) key.signUpdate(c);
  return key.signFinal();
}

function streamVerify(key: PKey, signature: Buffer, digest: string | null = 'sha256'): boolean {
  key.verifyInit(digest);
  for (const c of CHUNKS) key.verifyUpdate(c);
  return key.verifyFinal(signature);
}

describe('streaming signatures', () => {
  it("RSA: the same signature M2Crypto's sign_init/sign_update/sign_final makes, and each verifies the other's", () => {
    const key = PKey.generate(TYPE_RSA, 2048);
    const ours = streamSign(key);
    const theirs = m2(
      `k = EVP.load_key_string(req["key"].encode())
k.reset_context(md="sha256")
k.sign_init()
k.sign_update(bytes.fromhex(req["data"]))
sig = k.sign_final()
k.reset_context(md="sha256")
k.verify_init()
k.verify_update(bytes.fromhex(req["data"]))
print(json.dumps({"sig": sig.hex(), "ours": k.verify_final(bytes.fromhex(req["ours"]))}))`,
      { key: dumpPrivatekey(FILETYPE_PEM, key).toString(), data: WHOLE.toString('hex'), ours: ours.toString('hex') },
    );
    expect(ours.toString('hex')).toBe(theirs.sig); // PKCS#1 v1.5 is deterministic
    expect(theirs.ours).toBe(1);
    expect(streamVerify(key, Buffer.from(String(theirs.sig), "hex"))).toBe(true);
  });

  it('EC: M2Crypto verifies ours, ours verifies node:crypto-checked signatures, and a public key verifies', () => {
    const key = PKey.generate(TYPE_EC, 'prime256v1');
    const ours = streamSign(key, 'sha384');
    expect(createVerify('sha384').update(WHOLE).verify(createPublicKey(dumpPublickey(FILETYPE_PEM, key)), ours)).toBe(true);
    const theirs = m2(
      `k = EVP.load_key_string(req["key"].encode())
k.reset_context(md="sha384")
k.verify_init()
k.verify_update(bytes.fromhex(req["data"]))
print(json.dumps({"ok": k.verify_final(bytes.fromhex(req["sig"]))}))`,
      { key: dumpPrivatekey(FILETYPE_PEM, key).toString(), data: WHOLE.toString('hex'), sig: ours.toString('hex') },
    );
    expect(theirs.ok).toBe(1);
    const pub = loadPublickey(FILETYPE_PEM, dumpPublickey(FILETYPE_PEM, key));
    expect(streamVerify(pub, ours, 'sha384')).toBe(true);
  });

  it('refuses a changed message, a changed signature, another digest and garbage, as false', () => {
    const key = PKey.generate(TYPE_EC, 'prime256v1');
    const sig = streamSign(key);
    key.verifyInit();
    key.verifyUpdate('something else');
    expect(key.verifyFinal(sig)).toBe(false);
    const flipped = Buffer.from(sig);
    flipped[flipped.length - 1]! ^= 1;
    expect(streamVerify(key, flipped)).toBe(false);
    expect(streamVerify(key, sig, 'sha512')).toBe(false);
    expect(streamVerify(key, Buffer.from('not a signature'))).toBe(false);
    expect(streamVerify(key, Buffer.alloc(0))).toBe(false);
    expect(streamVerify(key, sig)).toBe(true);
  });

  it('keeps one stream per key: final ends it, init restarts it', () => {
    const key = PKey.generate(TYPE_EC, 'prime256v1');
    expect(() => key.signFinal()).toThrow(/call signInit\(\) first/);
    expect(() => key.signUpdate('x')).toThrow(/call signInit\(\) or verifyInit\(\) first/);
    key.signInit();
    key.signUpdate('abandoned');
    const sig = streamSign(key); // a new signInit drops the abandoned stream
    expect(streamVerify(key, sig)).toBe(true);
    expect(() => key.signFinal()).toThrow(RangeError);
    key.verifyInit();
    expect(() => key.signFinal()).toThrow(RangeError); // a verification is in progress, not a signature
    expect(() => key.verifyFinal(sig)).not.toThrow();
    expect(() => key.verifyFinal(sig)).toThrow(/call verifyInit\(\) first/);
  });

  it('refuses what cannot stream or is not a key, with typed errors', () => {
    const pub = loadPublickey(FILETYPE_PEM, dumpPublickey(FILETYPE_PEM, PKey.generate(TYPE_EC, 'prime256v1')));
    expect(() => pub.signInit()).toThrow(TypeError);
    const key = PKey.generate(TYPE_RSA, 2048);
    expect(() => key.signInit('no-such-digest')).toThrow(RangeError);
    expect(() => key.signInit(256 as never)).toThrow(TypeError);
    key.signInit();
    expect(() => key.signUpdate(42 as never)).toThrow(TypeError);
    expect(() => key.verifyFinal('x' as never)).toThrow(RangeError);
    expect(() => key.verifyFinal(null as never)).toThrow(TypeError);
    // Ed25519 signs in one shot only: OpenSSL refuses the update, and says why.
    const ed = PKey.generate(TYPE_ED25519);
    ed.signInit(null);
    let err: unknown = null;
    try {
      ed.signUpdate('data');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CryptoError);
    expect(() => ed.signFinal()).toThrow(RangeError); // the failed stream is gone
    expect(() => new PKey().signInit()).toThrow(CryptoError); // an empty key
  });
});
