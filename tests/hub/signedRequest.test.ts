import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { workstationIdOf } from '../../core/register/batch';
import { bodyMatchesClaim, MAX_CLOCK_SKEW_MS, readClaimedSignature, requestSignatureValid, requestSigningText, signRequest, staleness } from '../../core/hub/signedRequest';
import { generateEd25519KeyPair, signEd25519 } from '../../core/register/signing';

/** The request signature, exactly as a second implementation would have to build it. */
describe('signed workstation requests', () => {
  const keys = generateEd25519KeyPair();
  const id = workstationIdOf(keys.publicKey);
  const at = new Date('2026-11-24T01:30:00.000Z');
  const body = Buffer.from('{"a":1}');
  const lower = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

  it('signs "SEAL-HUB-1", the method, path with query, time, nonce and the body\'s SHA-256, one per line', () => {
    const text = requestSigningText({ method: 'post', pathWithQuery: '/v1/batches?x=1', timestamp: '2026-11-24T01:30:00.000Z', nonce: '0123456789abcdef0123456789abcdef', body: new Uint8Array(0) });
    expect(text).toBe('SEAL-HUB-1\nPOST\n/v1/batches?x=1\n2026-11-24T01:30:00.000Z\n0123456789abcdef0123456789abcdef\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');

    const headers = signRequest({ workstationId: id, signer: { privateKey: keys.privateKey }, method: 'POST', pathWithQuery: '/v1/batches', body, at, nonce: '0123456789abcdef0123456789abcdef' });
    const expected = signEd25519(keys.privateKey, Buffer.from(requestSigningText({ method: 'POST', pathWithQuery: '/v1/batches', timestamp: at.toISOString(), nonce: '0123456789abcdef0123456789abcdef', body })));
    expect(headers).toEqual({
      'X-Seal-Workstation': id,
      'X-Seal-Timestamp': '2026-11-24T01:30:00.000Z',
      'X-Seal-Nonce': '0123456789abcdef0123456789abcdef',
      // The signed hash travels too, so the hub checks the signature before it reads the body.
      'X-Seal-Body-Sha256': '015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862',
      'X-Seal-Signature': Buffer.from(expected).toString('base64'),
    });
  });

  it('verifies only the request that was signed: the headers before the body is read, then the body against the signed hash', () => {
    const headers = lower(signRequest({ workstationId: id, signer: { privateKey: keys.privateKey }, method: 'POST', pathWithQuery: '/v1/batches', body, at }));
    const claimed = readClaimedSignature(headers);
    if (!claimed.ok) throw new Error(claimed.message);
    expect(requestSignatureValid(claimed.claim, keys.publicKey, { method: 'POST', pathWithQuery: '/v1/batches' })).toBe(true);
    expect(bodyMatchesClaim(claimed.claim, body)).toBe(true);
    expect(bodyMatchesClaim(claimed.claim, Buffer.from('{"a":2}'))).toBe(false);
    expect(requestSignatureValid(claimed.claim, keys.publicKey, { method: 'GET', pathWithQuery: '/v1/batches' })).toBe(false);
    expect(requestSignatureValid(claimed.claim, generateEd25519KeyPair().publicKey, { method: 'POST', pathWithQuery: '/v1/batches' })).toBe(false);
    // A hash changed on the way no longer matches the signature.
    const otherHash = readClaimedSignature({ ...headers, 'x-seal-body-sha256': createHash('sha256').update('{"a":2}').digest('hex') });
    if (!otherHash.ok) throw new Error(otherHash.message);
    expect(requestSignatureValid(otherHash.claim, keys.publicKey, { method: 'POST', pathWithQuery: '/v1/batches' })).toBe(false);
  });

  it('gives every request a fresh 32-hex-digit nonce', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => signRequest({ workstationId: id, signer: { privateKey: keys.privateKey }, method: 'GET', pathWithQuery: '/v1/state', body: new Uint8Array(0), at })['X-Seal-Nonce']));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(nonce).toMatch(/^[0-9a-f]{32}$/);
  });

  it('treats missing or malformed headers as unsigned', () => {
    const good = lower(signRequest({ workstationId: id, signer: { privateKey: keys.privateKey }, method: 'GET', pathWithQuery: '/v1/state', body: new Uint8Array(0), at }));
    expect(readClaimedSignature({})).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(readClaimedSignature({ ...good, 'x-seal-nonce': 'XYZ' })).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(readClaimedSignature({ ...good, 'x-seal-timestamp': 'yesterday' })).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(readClaimedSignature({ ...good, 'x-seal-signature': 'AAAA' })).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(readClaimedSignature({ ...good, 'x-seal-workstation': ['a', 'b'] })).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(readClaimedSignature({ ...good, 'x-seal-workstation': 'admin' })).toMatchObject({ ok: false, reason: 'unenrolled', claimedWorkstationId: 'admin' });
  });

  it('allows five minutes of clock difference either way, and no more', () => {
    const claimed = readClaimedSignature(lower(signRequest({ workstationId: id, signer: { privateKey: keys.privateKey }, method: 'GET', pathWithQuery: '/v1/state', body: new Uint8Array(0), at })));
    if (!claimed.ok) throw new Error(claimed.message);
    expect(staleness(claimed.claim, new Date(at.getTime() + MAX_CLOCK_SKEW_MS))).toBeNull();
    expect(staleness(claimed.claim, new Date(at.getTime() - MAX_CLOCK_SKEW_MS))).toBeNull();
    expect(staleness(claimed.claim, new Date(at.getTime() + MAX_CLOCK_SKEW_MS + 1))).toMatchObject({ reason: 'stale' });
    expect(staleness(claimed.claim, new Date(at.getTime() - MAX_CLOCK_SKEW_MS - 1))).toMatchObject({ reason: 'stale' });
  });
});
