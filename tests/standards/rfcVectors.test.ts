import { describe, expect, it } from 'vitest';
import { canonicalJson, type JsonValue } from '../../core/register/canonicalJson';
import { generateEd25519KeyPair, publicKeyOf, signEd25519, verifyEd25519 } from '../../core/register/signing';

const hex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('canonical JSON passes the RFC 8785 examples', () => {
  it('serialises the example of section 3.2.2', () => {
    const input = JSON.parse('{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}') as JsonValue;
    expect(canonicalJson(input)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it('sorts keys by UTF-16 code units (section 3.2.3)', () => {
    const input = JSON.parse('{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}') as Record<string, JsonValue>;
    // Read the keys off the text: a parsed object would put the integer-like key "1" first.
    const keys = [...canonicalJson(input).matchAll(/[{,]("(?:[^"\\]|\\.)*"):/g)].map((m) => JSON.parse(m[1]!) as string);
    expect(keys).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
  });

  it('writes the numbers of appendix B as ECMAScript does', () => {
    const cases: [string, string][] = [
      ['0000000000000000', '0'], ['8000000000000000', '0'], ['0000000000000001', '5e-324'], ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'], ['4430000000000000', '295147905179352830000'], ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'], ['3eb0c6f7a0b5ed8d', '0.000001'], ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'], ['41b3de4355555555', '333333333.3333333'],
    ];
    for (const [bits, text] of cases) expect(canonicalJson(Buffer.from(bits, 'hex').readDoubleBE(0))).toBe(text);
  });

  it('refuses NaN and Infinity', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow();
    expect(() => canonicalJson(Number.POSITIVE_INFINITY)).toThrow();
  });
});

describe('Ed25519 passes the RFC 8032 test vectors', () => {
  const vectors = [
    { secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', message: '', signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b' },
    { secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', message: '72', signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00' },
    { secret: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7', public: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025', message: 'af82', signature: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a' },
  ];

  it.each(vectors)('derives the public key and signs as RFC 8032 says ($public)', (v) => {
    expect(toHex(publicKeyOf(hex(v.secret)))).toBe(v.public);
    expect(toHex(signEd25519(hex(v.secret), hex(v.message)))).toBe(v.signature);
    expect(verifyEd25519(hex(v.public), hex(v.message), hex(v.signature))).toBe(true);
  });

  it('rejects a signature over a changed message or by another key', () => {
    const [v] = vectors;
    expect(verifyEd25519(hex(v!.public), hex('00'), hex(v!.signature))).toBe(false);
    const other = generateEd25519KeyPair();
    expect(verifyEd25519(other.publicKey, hex(v!.message), hex(v!.signature))).toBe(false);
    expect(verifyEd25519(hex(v!.public), hex(v!.message), hex(v!.signature).subarray(0, 63))).toBe(false);
  });
});
