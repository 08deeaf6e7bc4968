import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';

/**
 * Ed25519 (RFC 8032) over raw 32-byte keys, the form that is exported for enrolment and kept in
 * batches. Node's crypto does the arithmetic; this only wraps the raw keys in DER.
 */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface Ed25519KeyPair {
  /** The 32-byte seed (RFC 8032's "secret key"). */
  privateKey: Uint8Array;
  publicKey: Uint8Array;
}

export function generateEd25519KeyPair(): Ed25519KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length)),
    publicKey: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length)),
  };
}

/**
 * Making a KeyObject from raw bytes costs far more than a signature (measured: about eight times
 * as much), and the register signs and checks one signature per entry: each key's object is made
 * once per key array and kept as long as that array lives.
 */
const privateKeys = new WeakMap<Uint8Array, KeyObject>();
const publicKeys = new WeakMap<Uint8Array, KeyObject>();

function privateKeyObject(seed: Uint8Array): KeyObject {
  let key = privateKeys.get(seed);
  if (!key) {
    if (seed.length !== 32) throw new Error('Ed25519 private key must be 32 bytes');
    key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    privateKeys.set(seed, key);
  }
  return key;
}

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  let key = publicKeys.get(publicKey);
  if (!key) {
    if (publicKey.length !== 32) throw new Error('Ed25519 public key must be 32 bytes');
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    publicKeys.set(publicKey, key);
  }
  return key;
}

export function publicKeyOf(seed: Uint8Array): Uint8Array {
  return new Uint8Array(createPublicKey(privateKeyObject(seed)).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length));
}

export function signEd25519(seed: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(cryptoSign(null, message, privateKeyObject(seed)));
}

export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return signature.length === 64 && cryptoVerify(null, message, publicKeyObject(publicKey), signature);
  } catch {
    return false;
  }
}
