import fc from 'fast-check';
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../platform/db/client.js';
import { generateSigningKey, publicPart } from './cards.keys.js';
import { cardQrSvg, cardVerifyUrl, verifyCardToken } from './cards.service.js';

describe('signing keys', () => {
  it('names a key by the thumbprint of its public part and publishes no private member', async () => {
    const key = await generateSigningKey();
    expect(key.privateJwk.d).toBeTruthy();
    expect(key.kid).toBe(await calculateJwkThumbprint(key.publicJwk));
    const published = publicPart(key.kid, key.privateJwk as Record<string, unknown>);
    expect(published).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: key.publicJwk.x,
      kid: key.kid,
      alg: 'EdDSA',
      use: 'sig',
    });
    expect(JSON.stringify(published)).not.toContain(String(key.privateJwk.d));
  });

  it('refuses to publish a key that is not Ed25519', () => {
    expect(() => publicPart('k', { kty: 'oct', k: 'secret' })).toThrow(/not an Ed25519/);
  });
});

describe('verify links and QR codes', () => {
  it('puts the token in the fragment of the verify page', () => {
    expect(cardVerifyUrl('a.b.c', 'https://kankei.example.jp/')).toBe('https://kankei.example.jp/verify#a.b.c');
    expect(cardVerifyUrl('a.b.c', 'https://kankei.example.jp')).toBe('https://kankei.example.jp/verify#a.b.c');
  });

  it('draws the QR code as SVG', async () => {
    const svg = await cardQrSvg('eyJhbGciOiJFZERTQSJ9.e30.sig', 'https://kankei.example.jp');
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\s*$/);
  });
});

describe('verifyCardToken before any key is looked up', () => {
  // Nothing that is not a compact JWS with a canonical Ed25519 signature reaches the database.
  const noDb = null as unknown as Db;
  const EXPECTED = { issuer: 'https://kankei.example.jp' };

  it('answers malformed, never throws, for arbitrary short strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80, unit: 'binary' }), async (s) => {
        expect(await verifyCardToken(noDb, s, EXPECTED)).toEqual({ valid: false, reason: 'malformed' });
      }),
    );
  });

  it('answers malformed for wrong header algorithms and types', async () => {
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const sig = 'A'.repeat(86);
    for (const header of [
      { alg: 'none', typ: 'kankei-card+jwt', kid: 'k' },
      { alg: 'HS256', typ: 'kankei-card+jwt', kid: 'k' },
      { alg: 'EdDSA', typ: 'JWT', kid: 'k' },
      { alg: 'EdDSA', typ: 'kankei-card+jwt' },
    ]) {
      expect(await verifyCardToken(noDb, `${enc(header)}.${enc({})}.${sig}`, EXPECTED)).toEqual({
        valid: false,
        reason: 'malformed',
      });
    }
    expect(await verifyCardToken(noDb, 'x'.repeat(5000), EXPECTED)).toEqual({ valid: false, reason: 'malformed' });
  });
});
