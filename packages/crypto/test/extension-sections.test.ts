// X509Extension with configuration sections (certificatePolicies' @section, subjectAltName's
// dirName:section): the extension bytes equal what the openssl CLI makes from the same configuration.
import { describe, expect, it } from 'vitest';

import { dumpPrivatekey, FILETYPE_PEM, loadCertificate, PKey, TYPE_EC, X509Extension } from '../src/index.js';
import { openssl, tempFiles } from './support/helpers.js';

/** The extension `name` of a certificate the openssl CLI makes from `[ext]` plus `sections`. */
function opensslExtension(name: string, value: string, sections: string): Buffer {
  const key = PKey.generate(TYPE_EC, 'prime256v1');
  const conf = `[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = sections\n[ext]\n${name} = ${value}\n${sections}`;
  const files = tempFiles({ 'k.pem': dumpPrivatekey(FILETYPE_PEM, key), 'c.cnf': conf });
  try {
    const pem = openssl(['req', '-new', '-x509', '-key', files.path('k.pem'), '-config', files.path('c.cnf'), '-extensions', 'ext', '-days', '1']);
    return loadCertificate(FILETYPE_PEM, pem).getExtensionByName(name)!.getData();
  } finally {
    files.cleanup();
  }
}

describe('X509Extension sections', () => {
  it('certificatePolicies with a policy section and a user notice section, as the openssl CLI makes it', () => {
    const sections = {
      polsect: { policyIdentifier: '1.3.5.8', 'CPS.1': 'http://my.host.example/', 'CPS.2': 'http://my.your.example/', 'userNotice.1': '@notice' },
      notice: { explicitText: 'Explicit Text Here', organization: 'Organisation Name', noticeNumbers: '1, 2, 3, 4' },
    };
    const ext = new X509Extension('certificatePolicies', false, 'ia5org, 1.2.3.4, 1.5.6.7.8, @polsect', { sections });
    const text = Object.entries(sections)
      .map(([n, kv]) => `[${n}]\n${Object.entries(kv).map(([k, v]) => `${k} = ${v}`).join('\n')}\n`)
      .join('');
    expect(ext.getData().equals(opensslExtension('certificatePolicies', 'ia5org, 1.2.3.4, 1.5.6.7.8, @polsect', text))).toBe(true);
    expect(ext.toString()).toContain('Explicit Text Here');
  });

  it('a subjectAltName dirName from its section', () => {
    const ext = new X509Extension('subjectAltName', false, 'DNS:dir.example, dirName:dir_sect', { sections: { dir_sect: { C: 'UK', O: 'Org', CN: 'Dir Name' } } });
    expect(ext.getData().equals(opensslExtension('subjectAltName', 'DNS:dir.example, dirName:dir_sect', '[dir_sect]\nC = UK\nO = Org\nCN = Dir Name\n'))).toBe(true);
    expect(ext.toString()).toMatch(/DirName:.*CN\s*=\s*Dir Name|DirName:\/C=UK\/O=Org\/CN=Dir Name/);
  });

  it('takes values literally: $, # and quotes are not configuration syntax', () => {
    const ext = new X509Extension('subjectAltName', false, 'dirName:d', { sections: { d: { O: 'A $HOME #1 "q" \'s\'', CN: 'x' } } });
    // The value is in the extension's bytes as given (OpenSSL's text form escapes the quotes).
    expect(ext.getData().includes(Buffer.from('A $HOME #1 "q" \'s\''))).toBe(true);
  });

  it('refuses a value that names a missing section, bad section shapes and names, and NULs', () => {
    expect(() => new X509Extension('certificatePolicies', false, '@nosuch', { sections: { other: { policyIdentifier: '1.2.3' } } })).toThrow(/could not create the certificatePolicies extension/);
    expect(() => new X509Extension('certificatePolicies', false, '@polsect')).toThrow(/could not create/);
    const bad: [unknown, RegExp | typeof TypeError | typeof RangeError][] = [
      ['not an object', TypeError],
      [[], TypeError],
      [{ 'bad name': { a: 'b' } }, RangeError],
      [{ s: 'text' }, TypeError],
      [{ s: { 'bad key': 'v' } }, RangeError],
      [{ s: { k: 5 } }, TypeError],
      [{ s: { k: 'two\nlines' } }, RangeError],
      [{ s: { k: 'nul\0byte' } }, RangeError],
    ];
    for (const [sections, error] of bad) {
      expect(() => new X509Extension('subjectAltName', false, 'dirName:s', { sections: sections as never }), JSON.stringify(sections)).toThrow(error as never);
    }
  });

  it('reads only own properties of the sections object', () => {
    const inherited = Object.create({ d: { CN: 'inherited' } }) as Record<string, Record<string, string>>;
    expect(() => new X509Extension('subjectAltName', false, 'dirName:d', { sections: inherited })).toThrow(/could not create/);
  });
});
