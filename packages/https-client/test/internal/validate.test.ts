// The checks of src/internal/validate.ts, with node:http's own validators as the oracle for header
// names and values: every character from U+0000 to U+01FF is tried in each position.
import http from 'node:http';
import { describe, expect, it } from 'vitest';

import {
  formatHost,
  joinHeaderValues,
  validateAddress,
  validateBody,
  validateHeaderName,
  validateHeaderValue,
  validateHeaders,
  validateHost,
  validateMethod,
  validatePort,
  validateRequestTarget,
  validateTimeout,
  validateUrlString,
} from '../../src/internal/validate.js';

const accepted = (fn: () => unknown): boolean => {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
};
const chars = Array.from({ length: 0x200 }, (_, i) => String.fromCharCode(i));

describe('validateHeaderName', () => {
  it('accepts exactly what node:http accepts, for every character up to U+01FF', () => {
    for (const c of chars) {
      for (const name of [c, `X-${c}`, `${c}-X`]) {
        expect(accepted(() => validateHeaderName(name)), JSON.stringify(name)).toBe(accepted(() => http.validateHeaderName(name)));
      }
    }
    expect(accepted(() => validateHeaderName(''))).toBe(false);
  });
});

describe('validateHeaderValue', () => {
  it('accepts exactly what node:http accepts, for every character up to U+01FF', () => {
    for (const c of chars) {
      for (const value of [c, `a${c}b`]) {
        expect(accepted(() => validateHeaderValue('X', value)), JSON.stringify(value)).toBe(accepted(() => http.validateHeaderValue('X', value)));
      }
    }
  });

  it('refuses obs-fold and CR/LF in any arrangement, and values that are not strings or finite numbers', () => {
    for (const v of ['a\r\n\tb', 'a\r\n b', '\r\n', '\n', '\r', 'a\u010d\u010ab']) expect(() => validateHeaderValue('X', v)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_CHAR' }));
    for (const v of [undefined, null, {}, [], true, NaN, -Infinity]) expect(() => validateHeaderValue('X', v)).toThrow(expect.objectContaining({ code: 'ERR_HTTP_INVALID_HEADER_VALUE' }));
    expect(validateHeaderValue('X', 42)).toBe('42');
    expect(validateHeaderValue('X', 10n)).toBe('10');
    expect(validateHeaderValue('X', '')).toBe('');
  });

  it('joins several values on one line with ", "', () => {
    expect(joinHeaderValues('X', ['a', 'b', 3])).toBe('a, b, 3');
    expect(joinHeaderValues('X', [])).toBe('');
    expect(() => joinHeaderValues('X', ['a', 'b\r\nc'])).toThrow(TypeError);
  });
});

describe('validateHeaders', () => {
  it('reads own enumerable properties only, joins arrays, and refuses non-objects', () => {
    const inherited = Object.create({ 'X-Inherited': 'no' }) as Record<string, string>;
    inherited['X-Own'] = 'yes';
    expect(validateHeaders(inherited)).toEqual([['X-Own', 'yes']]);
    expect(validateHeaders({ A: ['1', 2] })).toEqual([['A', '1, 2']]);
    expect(validateHeaders(null)).toEqual([]);
    expect(validateHeaders(undefined)).toEqual([]);
    for (const bad of ['X: 1', 42, [['X', '1']], true]) expect(() => validateHeaders(bad, 'headers')).toThrow(/"headers" must be an object/);
  });
});

describe('validateMethod and validateRequestTarget', () => {
  it('takes tokens as methods', () => {
    for (const m of ['GET', 'M-SEARCH', 'PROPFIND', "!#$%&'*+-.^_`|~"]) expect(validateMethod(m)).toBe(m);
    for (const m of ['', 'GE T', 'GET\t', 'GET\r\n', '\u00c9', 'GET/']) expect(() => validateMethod(m)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_HTTP_TOKEN' }));
  });

  it('refuses anything outside \\x21-\\x7e and \\x80-\\xff in a request target; "" means "/"', () => {
    for (const c of chars) {
      const code = c.charCodeAt(0);
      const ok = (code >= 0x21 && code <= 0x7e) || (code >= 0x80 && code <= 0xff);
      expect(accepted(() => validateRequestTarget(`/a${c}b`)), `U+${code.toString(16)}`).toBe(ok);
    }
    expect(validateRequestTarget('')).toBe('/');
    expect(validateRequestTarget('*')).toBe('*');
    expect(validateRequestTarget('https://a.test/x?y=%20')).toBe('https://a.test/x?y=%20');
  });
});

describe('validateUrlString', () => {
  it('refuses C0 controls, space and DEL anywhere, as given', () => {
    for (const c of chars.slice(0, 0x21).concat('\x7f')) expect(() => validateUrlString(`https://a.test/${c}`)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_URL' }));
    expect(validateUrlString('https://b\u00fccher.example/\u00e9')).toBe('https://b\u00fccher.example/\u00e9');
    expect(validateUrlString(new URL('https://a.test/a b'))).toBe('https://a.test/a%20b');
  });
});

describe('validateHost', () => {
  it('takes host names and IP literals, and refuses everything else', () => {
    const good: [string, string][] = [
      ['a.test', 'a.test'],
      ['localhost', 'localhost'],
      ['a.test.', 'a.test.'],
      ['under_score.test', 'under_score.test'],
      ['127.0.0.1', '127.0.0.1'],
      ['::1', '::1'],
      ['[::1]', '::1'],
      ['[2001:db8::1]', '2001:db8::1'],
      ['::ffff:127.0.0.1', '::ffff:127.0.0.1'],
      ['B\u00fccher.example', 'xn--bcher-kva.example'],
      [`${'a'.repeat(63)}.test`, `${'a'.repeat(63)}.test`],
    ];
    for (const [input, output] of good) expect(validateHost(input), input).toBe(output);
    const bad = ['', '.', 'a..b', '.a', 'a b', 'a\tb', 'a\r\nb', 'a\0b', 'user@a.test', 'a.test:443', 'a.test/x', 'a/b', '[a.test]', '[127.0.0.1]', '[::1', '::1]', '[[::1]]', `${'a'.repeat(64)}.test`, `${'a.'.repeat(127)}ab`, 'a%0d.test', 'a\\b', 'a"b', 'a\u00a0b'];
    for (const host of bad) expect(() => validateHost(host), JSON.stringify(host)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
    expect(() => validateHost(42)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
  });

  it('writes IPv6 literals in brackets', () => {
    expect(formatHost('::1')).toBe('[::1]');
    expect(formatHost('127.0.0.1')).toBe('127.0.0.1');
    expect(formatHost('a.test')).toBe('a.test');
  });
});

describe('validatePort, validateTimeout and validateBody', () => {
  it('takes ports 1..65535 as integers or strings of digits', () => {
    expect(validatePort(undefined, 'port', 443)).toBe(443);
    expect(validatePort(null, 'port', 443)).toBe(443);
    expect(validatePort(1, 'port', 443)).toBe(1);
    expect(validatePort('65535', 'port', 443)).toBe(65535);
    expect(validatePort('00080', 'port', 443)).toBe(80);
    for (const p of [0, 65536, -1, 1.5, NaN, '0', '65536']) expect(() => validatePort(p, 'port', 443)).toThrow(RangeError);
    for (const p of ['', '8 0', '80\r\n', '0x50', '+80', '800000', true, {}, []]) expect(() => validatePort(p, 'port', 443)).toThrow(TypeError);
  });

  it('takes finite non-negative timeouts', () => {
    expect(validateTimeout(undefined)).toBeNull();
    expect(validateTimeout(null)).toBeNull();
    expect(validateTimeout(0)).toBe(0);
    expect(validateTimeout(1.5)).toBe(1.5);
    for (const t of [-1, NaN, Infinity]) expect(() => validateTimeout(t)).toThrow(RangeError);
    for (const t of ['5', true, {}]) expect(() => validateTimeout(t)).toThrow(TypeError);
  });

  it('takes strings, Buffers and Uint8Arrays as bodies', () => {
    expect(validateBody(undefined)).toBeUndefined();
    expect(validateBody(null)).toBeUndefined();
    expect(validateBody('h\u00e9')).toEqual(Buffer.from('h\u00e9'));
    expect(validateBody(Buffer.from('x'))).toEqual(Buffer.from('x'));
    expect(validateBody(new Uint8Array([1, 2]).subarray(1))).toEqual(Buffer.from([2]));
    for (const b of [42, {}, [1], true, new Uint16Array(1)]) expect(() => validateBody(b)).toThrow(TypeError);
  });
});

describe('validateAddress', () => {
  it('takes [host, port] pairs, with Python\'s any-address forms for a local address only', () => {
    expect(validateAddress(['[::1]', '8080'], 'proxy')).toEqual(['::1', 8080]);
    expect(validateAddress(['', 0], 'sourceAddress', true)).toEqual(['', 0]);
    expect(validateAddress(['127.0.0.1', 0], 'sourceAddress', true)).toEqual(['127.0.0.1', 0]);
    expect(() => validateAddress(['', 8080], 'proxy')).toThrow(/proxy\[0\]/);
    expect(() => validateAddress(['127.0.0.1', 0], 'proxy')).toThrow(RangeError);
    for (const bad of ['127.0.0.1:80', ['127.0.0.1'], ['127.0.0.1', 80, 1], { host: 'a', port: 1 }, ['127.0.0.1', null]]) {
      expect(() => validateAddress(bad, 'proxy'), JSON.stringify(bad)).toThrow(TypeError);
    }
    expect(() => validateAddress(['a\r\nb', 80], 'proxy')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
  });
});
