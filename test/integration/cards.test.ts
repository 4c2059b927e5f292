/**
 * Digital supporter cards end to end: issue, verify (as the public does, over HTTP, and as a third
 * party would offline with jose and the published JWKS), tampering, expiry, revocation, reissue,
 * key rotation and publication, certifications, scope, bad input, and a property test that no
 * single-character change of a card ever verifies.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { base64url, createLocalJWKSet, decodeProtectedHeader, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/platform/db/client.js';
import { certifications } from '../../src/modules/donations/donations.tables.js';
import { cards, signingKeys } from '../../src/modules/cards/cards.tables.js';
import { ensureActiveKey, rotateSigningKey } from '../../src/modules/cards/cards.keys.js';
import {
  CARD_TYP,
  getCurrentCardView,
  issueCard,
  reissueCardIfStale,
  revokedCards,
  verifyCardToken,
} from '../../src/modules/cards/cards.service.js';
import { createTestApp, personPayload, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { systemContext } from '../../src/platform/request-context.js';

const YAMAGATA = '062014';
const TSURUOKA = '062031';
const SAKATA = '062049';
const DAY_MS = 24 * 60 * 60 * 1000;
const PUBLIC_URL = 'https://kankei.example.jp';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

type Jwk = Record<string, unknown> & { kid: string };
const b64json = (value: unknown) => base64url.encode(JSON.stringify(value));
const segments = (token: string) => token.split('.') as [string, string, string];
const payloadOf = (token: string) => JSON.parse(new TextDecoder().decode(base64url.decode(segments(token)[1])));

describe.each(TEST_DRIVERS)('supporter cards on %s', (driver) => {
  let t: TestApp;
  let db: Db;
  let yamagataStaff: Session;
  let tsuruokaStaff: Session;
  let partner: Session;

  beforeAll(async () => {
    t = await createTestApp(driver, { publicUrl: PUBLIC_URL });
    db = t.database.db;
    yamagataStaff = await t.staffSession('municipality_staff', YAMAGATA);
    tsuruokaStaff = await t.staffSession('municipality_staff', TSURUOKA);
    partner = await t.staffSession('partner');
  });
  afterAll(() => t?.close());

  const createPerson = async (overrides: Record<string, unknown> = {}) => {
    const res = await t.admin.request({
      method: 'POST',
      url: '/api/people',
      payload: personPayload({ links: [{ municipalityCode: YAMAGATA, kind: 'supporter' }], ...overrides }),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; name: string };
  };
  const issue = async (personId: string, body: Record<string, unknown> = {}, as: Session = t.admin) => {
    const res = await as.request({ method: 'POST', url: `/api/people/${personId}/cards`, payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as {
      card: { id: string; kid: string; status: string; expiresAt: string; municipalityCodes: string[] };
      token: string;
      verifyUrl: string;
      qrSvg: string;
    };
  };
  const verify = (token: unknown, lang = 'en') =>
    t.app.inject({
      method: 'POST',
      url: '/api/cards/verify',
      payload: { token },
      headers: { 'accept-language': lang },
    });
  const reasonOf = async (token: string) => {
    const outcome = await verifyCardToken(db, token, { issuer: PUBLIC_URL });
    return outcome.valid ? 'valid' : outcome.reason;
  };
  const jwks = async () =>
    (await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as { keys: Jwk[] };
  const activeKids = async () =>
    (await db.select({ kid: signingKeys.kid }).from(signingKeys).where(isNull(signingKeys.retiredAt))).map(
      (r) => r.kid,
    );

  it('creates exactly one active key when many ask for it at once', async () => {
    const kids = await Promise.all(Array.from({ length: 8 }, () => ensureActiveKey(db)));
    expect(new Set(kids).size).toBe(1);
    expect(await activeKids()).toEqual([kids[0]]);
  });

  it('issues a card for the supported municipalities and verifies it with name and municipalities', async () => {
    const person = await createPerson({
      name: '山形 花子',
      links: [
        { municipalityCode: YAMAGATA, kind: 'supporter' },
        { municipalityCode: TSURUOKA, kind: 'supporter' },
        { municipalityCode: SAKATA, kind: 'interest' },
      ],
    });
    const issued = await issue(person.id);
    expect(issued.card).toMatchObject({
      personId: person.id,
      municipalityCodes: [YAMAGATA, TSURUOKA],
      status: 'active',
      revokedAt: null,
    });
    expect(new Date(issued.card.expiresAt).getTime() - Date.now()).toBeGreaterThan(364 * DAY_MS);
    expect(issued.verifyUrl).toBe(`${PUBLIC_URL}/verify#${issued.token}`);
    expect(issued.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);

    const header = decodeProtectedHeader(issued.token);
    expect(header).toEqual({ alg: 'EdDSA', kid: issued.card.kid, typ: CARD_TYP });
    const claims = payloadOf(issued.token);
    // The name and nothing else personal.
    expect(Object.keys(claims).sort()).toEqual(['cert', 'exp', 'iat', 'iss', 'jti', 'mun', 'name', 'prem', 'sub']);
    expect(claims).toMatchObject({
      iss: PUBLIC_URL,
      sub: person.id,
      jti: issued.card.id,
      name: '山形 花子',
      mun: [YAMAGATA, TSURUOKA],
      cert: [],
      // The municipalities where the registration is premium (docs/registry.md): none yet.
      prem: [],
    });

    const res = await verify(issued.token);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({
      valid: true,
      card: {
        id: issued.card.id,
        name: '山形 花子',
        municipalities: [
          { code: YAMAGATA, name: '山形市', tier: 'basic' },
          { code: TSURUOKA, name: '鶴岡市', tier: 'basic' },
        ],
        issuedAt: new Date(claims.iat * 1000).toISOString(),
        expiresAt: issued.card.expiresAt,
        certifications: [],
      },
    });
  });

  it('verifies offline with jose and nothing but the published JWKS, which holds no private key', async () => {
    const issued = await issue((await createPerson()).id);
    const res = await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    const set = res.json() as { keys: Jwk[] };
    for (const key of set.keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    }
    const { payload } = await jwtVerify(issued.token, createLocalJWKSet(set as never), {
      algorithms: ['EdDSA'],
      typ: CARD_TYP,
    });
    expect(payload.jti).toBe(issued.card.id);

    // No private key material in anything the public or staff receive.
    const privateDs = (await db.select({ jwk: signingKeys.privateJwk }).from(signingKeys)).map((r) => String(r.jwk.d));
    expect(privateDs.length).toBeGreaterThan(0);
    for (const d of privateDs) {
      expect(res.body).not.toContain(d);
      expect(JSON.stringify(issued)).not.toContain(d);
      expect(issued.token).not.toContain(d);
    }
  });

  it('refuses a forged signature: one changed character, or another key under the same kid', async () => {
    const issued = await issue((await createPerson()).id);
    const [h, p, s] = segments(issued.token);
    const i = 20;
    const flipped = `${h}.${p}.${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
    expect(await reasonOf(flipped)).toBe('bad_signature');

    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const forged = await new SignJWT(payloadOf(issued.token))
      .setProtectedHeader({ alg: 'EdDSA', kid: issued.card.kid, typ: CARD_TYP })
      .sign(privateKey);
    const res = await verify(forged);
    expect(res.json()).toEqual({
      valid: false,
      reason: 'bad_signature',
      message: 'This supporter card has been altered or was not issued by us.',
    });
    const ja = await verify(forged, 'ja');
    expect(ja.json().message).toContain('改ざん');
  });

  it('refuses a card our key signed for another issuer than the configured one', async () => {
    const person = await createPerson();
    const elsewhere = await issueCard(db, systemContext(), {
      personId: person.id,
      issuer: 'https://other-kankei.example.jp',
    });
    const res = await verify(elsewhere.token);
    expect(res.json()).toEqual({
      valid: false,
      reason: 'wrong_issuer',
      message: 'This supporter card was issued by someone else; it cannot be confirmed here.',
    });
    expect((await verify(elsewhere.token, 'ja')).json().message).toContain('別の発行元');
    // The same person's card for the configured issuer verifies.
    expect((await verify((await issue(person.id)).token)).json().valid).toBe(true);
  });

  it('refuses a modified payload and a signature in non-canonical base64url', async () => {
    const issued = await issue((await createPerson()).id);
    const [h, p, s] = segments(issued.token);
    const claims = payloadOf(issued.token);
    const renamed = `${h}.${b64json({ ...claims, name: '別人 太郎' })}.${s}`;
    expect(await reasonOf(renamed)).toBe('bad_signature');
    const longer = `${h}.${b64json({ ...claims, exp: claims.exp + 365 * 86400 })}.${s}`;
    expect(await reasonOf(longer)).toBe('bad_signature');
    const moreTowns = `${h}.${b64json({ ...claims, mun: [...claims.mun, TSURUOKA] })}.${s}`;
    expect(await reasonOf(moreTowns)).toBe('bad_signature');
    // The same signature bytes, spelled with other trailing bits: lenient decoders accept it; we do not.
    const last = B64URL.indexOf(s[85]!);
    const respelled = `${h}.${p}.${s.slice(0, 85)}${B64URL[last ^ 1]}`;
    expect(await reasonOf(respelled)).toBe('malformed');
    // alg "none" and HMAC are not card algorithms.
    expect(await reasonOf(`${b64json({ alg: 'none', typ: CARD_TYP })}.${p}.`)).toBe('malformed');
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: issued.card.kid, typ: CARD_TYP })
      .sign(new Uint8Array(32));
    expect(await reasonOf(hs)).toBe('malformed');
  });

  it('refuses an expired card and one issued in the future', async () => {
    const person = await createPerson();
    const old = await issueCard(db, systemContext(), {
      personId: person.id,
      validDays: 30,
      now: new Date(Date.now() - 400 * DAY_MS),
      issuer: PUBLIC_URL,
    });
    expect(old.card.status).toBe('expired');
    const res = await verify(old.token, 'ja');
    expect(res.json()).toMatchObject({
      valid: false,
      reason: 'expired',
      message: 'このサポーター証は有効期限が切れています。',
    });

    const future = await issueCard(db, systemContext(), {
      personId: person.id,
      now: new Date(Date.now() + 2 * DAY_MS),
      issuer: PUBLIC_URL,
    });
    expect(await reasonOf(future.token)).toBe('not_yet_valid');
  });

  it('refuses a revoked card, lists it for offline verifiers, and audits the revocation', async () => {
    const person = await createPerson();
    const issued = await issue(person.id);
    const res = await t.admin.request({
      method: 'POST',
      url: `/api/cards/${issued.card.id}/revoke`,
      payload: { reason: 'lost' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: issued.card.id, status: 'revoked', revokeReason: 'lost' });
    expect((await verify(issued.token)).json()).toMatchObject({ valid: false, reason: 'revoked' });

    // Revoking again changes nothing.
    const again = await t.admin.request({
      method: 'POST',
      url: `/api/cards/${issued.card.id}/revoke`,
      payload: { reason: 'stolen' },
    });
    expect(again.json()).toMatchObject({ revokeReason: 'lost', revokedAt: res.json().revokedAt });

    const list = await t.app.inject({ method: 'GET', url: '/api/cards/revoked' });
    expect(list.statusCode).toBe(200);
    expect(list.headers['cache-control']).toMatch(/max-age/);
    expect(list.json().items).toContainEqual({
      id: issued.card.id,
      revokedAt: res.json().revokedAt,
      expiresAt: issued.card.expiresAt,
    });

    const audit = (await t.admin.request({ method: 'GET', url: `/api/audit?personId=${person.id}` })).json();
    const actions = audit.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['card.issue', 'card.revoke']));
    expect(audit.items.filter((e: { action: string }) => e.action === 'card.revoke')).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(issued.token);
  });

  it('keeps expired revoked cards out of the revocation list', async () => {
    const person = await createPerson();
    const old = await issueCard(db, systemContext(), {
      personId: person.id,
      validDays: 1,
      now: new Date(Date.now() - 10 * DAY_MS),
      issuer: PUBLIC_URL,
    });
    await t.admin.request({
      method: 'POST',
      url: `/api/cards/${old.card.id}/revoke`,
      payload: { reason: 'withdrawn' },
    });
    expect((await revokedCards(db)).items.map((i) => i.id)).not.toContain(old.card.id);
  });

  it('reissuing revokes the old card as replaced and the new one verifies', async () => {
    const person = await createPerson();
    const first = await issue(person.id);
    const second = await issue(person.id);
    expect((await verify(first.token)).json()).toMatchObject({ valid: false, reason: 'revoked' });
    expect((await verify(second.token)).json()).toMatchObject({ valid: true, card: { id: second.card.id } });

    const res = await t.admin.request({ method: 'GET', url: `/api/people/${person.id}/cards` });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{
      id: string;
      status: string;
      revokeReason: string | null;
      replacedBy: string | null;
    }>;
    expect(items.map((c) => c.id)).toEqual([second.card.id, first.card.id]);
    expect(items[1]).toMatchObject({ status: 'revoked', revokeReason: 'replaced', replacedBy: second.card.id });
    expect(items[0]).toMatchObject({ status: 'active', revokeReason: null, replacedBy: null });
    expect(JSON.stringify(items)).not.toContain(first.token);

    const audit = (
      await t.admin.request({ method: 'GET', url: `/api/audit?personId=${person.id}&action=card.read` })
    ).json();
    expect(audit.total).toBe(1);
  });

  it('leaves one active card when a person is reissued several times at once', async () => {
    const person = await createPerson();
    await Promise.all(
      Array.from({ length: 4 }, () => issueCard(db, systemContext(), { personId: person.id, issuer: PUBLIC_URL })),
    );
    const active = await db
      .select()
      .from(cards)
      .where(and(eq(cards.personId, person.id), isNull(cards.revokedAt)));
    expect(active).toHaveLength(1);
  });

  it('rotates keys without invalidating unexpired cards; a key leaves the JWKS when its cards have expired', async () => {
    const before = await issue((await createPerson()).id);
    const k1 = before.card.kid;

    const center = await t.staffSession('center_staff');
    expect((await center.request({ method: 'POST', url: '/api/cards/keys/rotate' })).statusCode).toBe(403);

    const rotated = await t.admin.request({ method: 'POST', url: '/api/cards/keys/rotate' });
    expect(rotated.statusCode).toBe(200);
    const k2 = rotated.json().kid as string;
    expect(k2).not.toBe(k1);
    const retired = rotated.json().retired as Array<{ kid: string; publishedUntil: string }>;
    expect(retired.map((r) => r.kid)).toEqual([k1]);
    expect(new Date(retired[0]!.publishedUntil).getTime()).toBeGreaterThanOrEqual(
      new Date(before.card.expiresAt).getTime(),
    );
    expect(await activeKids()).toEqual([k2]);

    expect((await jwks()).keys.map((k) => k.kid)).toEqual(expect.arrayContaining([k1, k2]));
    expect((await verify(before.token)).json()).toMatchObject({ valid: true });
    const after = await issue((await createPerson()).id);
    expect(after.card.kid).toBe(k2);
    expect(decodeProtectedHeader(after.token).kid).toBe(k2);

    // A key that signed only a card that has already expired is not published after rotation.
    const k3 = (await rotateSigningKey(db, systemContext())).kid;
    const lapsed = await issueCard(db, systemContext(), {
      personId: (await createPerson()).id,
      validDays: 1,
      now: new Date(Date.now() - 30 * DAY_MS),
      issuer: PUBLIC_URL,
    });
    expect(lapsed.card.kid).toBe(k3);
    const k4 = (await rotateSigningKey(db, systemContext())).kid;
    const published = (await jwks()).keys.map((k) => k.kid);
    expect(published).toEqual(expect.arrayContaining([k1, k2, k4]));
    expect(published).not.toContain(k3);
    expect(await reasonOf(lapsed.token)).toBe('unknown_key');
    expect((await verify(before.token)).json()).toMatchObject({ valid: true });
    expect((await verify(after.token)).json()).toMatchObject({ valid: true });

    const audit = (await t.admin.request({ method: 'GET', url: '/api/audit?action=card.key_rotate' })).json();
    expect(audit.total).toBe(3);
  });

  it('keeps the old key published for cards signed while a rotation runs', async () => {
    const people = await Promise.all(Array.from({ length: 4 }, () => createPerson()));
    const results = await Promise.all([
      ...people.map((p) => issueCard(db, systemContext(), { personId: p.id, issuer: PUBLIC_URL })),
      rotateSigningKey(db, systemContext()),
    ]);
    const issued = results.slice(0, people.length) as Array<Awaited<ReturnType<typeof issueCard>>>;
    const published = new Set((await jwks()).keys.map((k) => k.kid));
    for (const card of issued) {
      expect(published.has(card.card.kid)).toBe(true);
      expect(await reasonOf(card.token)).toBe('valid');
    }
    const keys = await db.select().from(signingKeys);
    for (const card of issued) {
      const key = keys.find((k) => k.kid === card.card.kid)!;
      if (key.retiredAt)
        expect(key.publishedUntil!.getTime()).toBeGreaterThanOrEqual(new Date(card.card.expiresAt).getTime());
    }
    expect(await activeKids()).toHaveLength(1);
  });

  it('answers unknown_key for a card signed by a key that was never published', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const stranger = await new SignJWT({ name: '偽 造', mun: [YAMAGATA], cert: [] })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'not-a-kankei-key', typ: CARD_TYP })
      .setIssuer(PUBLIC_URL)
      .setSubject(randomUUID())
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('30d')
      .sign(privateKey);
    expect((await verify(stranger)).json()).toMatchObject({ valid: false, reason: 'unknown_key' });
  });

  it('shows certifications held (山形 心のふるさと県民) and reissues a card when they change', async () => {
    const person = await createPerson();
    await db
      .insert(certifications)
      .values({ personId: person.id, kind: 'kokoro_furusato', prefectureCode: '06', since: '2024-01-01' });
    const issued = await issue(person.id);
    expect(payloadOf(issued.token).cert).toEqual(['kokoro_furusato']);
    expect((await verify(issued.token)).json().card.certifications).toEqual([
      { kind: 'kokoro_furusato', label: '山形 心のふるさと県民' },
    ]);

    const later = await createPerson();
    const plain = await issue(later.id);
    expect(await reissueCardIfStale(db, later.id)).toBe(false);
    await db
      .insert(certifications)
      .values({ personId: later.id, kind: 'kokoro_furusato', prefectureCode: '06', since: '2025-01-01' });
    expect(await reissueCardIfStale(db, later.id)).toBe(true);
    expect(await reasonOf(plain.token)).toBe('revoked');
    const current = await getCurrentCardView(db, later.id);
    expect(current!.card.certifications.map((c) => c.kind)).toEqual(['kokoro_furusato']);
    expect(current!.verifyUrl).toBe(`${PUBLIC_URL}/verify#${current!.token}`);
  });

  it('gives the supporter portal the current card with its QR code, or null', async () => {
    const person = await createPerson({ name: '最上 次郎' });
    expect(await getCurrentCardView(db, person.id)).toBeNull();
    const issued = await issue(person.id);
    const view = await getCurrentCardView(db, person.id, 'https://other.example.jp/');
    expect(view).toMatchObject({
      token: issued.token,
      verifyUrl: `https://other.example.jp/verify#${issued.token}`,
      card: { id: issued.card.id, name: '最上 次郎' },
    });
    expect(view!.qrSvg).toContain('<svg');
    await t.admin.request({
      method: 'POST',
      url: `/api/cards/${issued.card.id}/revoke`,
      payload: { reason: 'withdrawn' },
    });
    expect(await getCurrentCardView(db, person.id)).toBeNull();
  });

  it('stops verifying the card of a deleted or erased person', async () => {
    const deleted = await createPerson();
    const a = await issue(deleted.id);
    expect((await t.admin.request({ method: 'DELETE', url: `/api/people/${deleted.id}` })).statusCode).toBe(204);
    expect(await reasonOf(a.token)).toBe('revoked');

    const erased = await createPerson();
    const b = await issue(erased.id);
    expect((await t.admin.request({ method: 'POST', url: `/api/people/${erased.id}/purge` })).statusCode).toBe(200);
    expect(await reasonOf(b.token)).toBe('revoked');
  });

  it('answers 404 to staff of another municipality and partners on every card route about the person', async () => {
    const person = await createPerson();
    const issued = await issue(person.id);
    for (const outsider of [tsuruokaStaff, partner]) {
      const attempts = [
        await outsider.request({ method: 'GET', url: `/api/people/${person.id}/cards` }),
        await outsider.request({ method: 'POST', url: `/api/people/${person.id}/cards`, payload: {} }),
        await outsider.request({
          method: 'POST',
          url: `/api/cards/${issued.card.id}/revoke`,
          payload: { reason: 'lost' },
        }),
      ];
      for (const res of attempts) {
        expect(res.statusCode, res.body).toBe(404);
        expect(res.json().error.code).toBe('NOT_FOUND');
      }
    }
    expect((await verify(issued.token)).json().valid).toBe(true);
    const cardsNow = await db.select().from(cards).where(eq(cards.personId, person.id));
    expect(cardsNow).toHaveLength(1);
  });

  it('lets municipality staff issue and revoke for their own people, naming only their municipality', async () => {
    const person = await createPerson({
      links: [
        { municipalityCode: YAMAGATA, kind: 'supporter' },
        { municipalityCode: TSURUOKA, kind: 'supporter' },
      ],
    });
    const all = await issue(person.id, {}, yamagataStaff);
    expect(all.card).toMatchObject({ municipalityCodes: [YAMAGATA, TSURUOKA] });
    const own = await issue(person.id, { municipalityCodes: [YAMAGATA], validDays: 30 }, yamagataStaff);
    expect(own.card.municipalityCodes).toEqual([YAMAGATA]);

    const other = await yamagataStaff.request({
      method: 'POST',
      url: `/api/people/${person.id}/cards`,
      payload: { municipalityCodes: [TSURUOKA] },
      headers: { 'accept-language': 'en' },
    });
    expect(other.statusCode).toBe(400);
    expect(other.json().error.fields['municipalityCodes.0']).toBe(
      'The municipalities may only name your own municipality.',
    );

    const notSupported = await t.admin.request({
      method: 'POST',
      url: `/api/people/${person.id}/cards`,
      payload: { municipalityCodes: [SAKATA] },
    });
    expect(notSupported.statusCode).toBe(400);
    expect(notSupported.json().error.fields['municipalityCodes.0']).toContain('サポーターとして登録されていません');

    const interestOnly = await createPerson({ links: [{ municipalityCode: YAMAGATA, kind: 'interest' }] });
    const none = await t.admin.request({ method: 'POST', url: `/api/people/${interestOnly.id}/cards`, payload: {} });
    expect(none.statusCode).toBe(400);
    expect(Object.keys(none.json().error.fields)).toEqual(['municipalityCodes']);

    const revoked = await yamagataStaff.request({
      method: 'POST',
      url: `/api/cards/${own.card.id}/revoke`,
      payload: { reason: 'issued_in_error' },
    });
    expect(revoked.statusCode).toBe(200);
  });

  it('answers 400 for a token that is not 1–4,096 characters of base64url and dots, and malformed for any other garbage', async () => {
    for (const token of [
      '',
      'x'.repeat(4097),
      123,
      null,
      '🙂'.repeat(100),
      'eyJ a.b.c',
      'abc\u0000',
      'https://kankei.example.jp/verify#abc',
    ]) {
      const res = await verify(token);
      expect(res.statusCode, String(token)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION');
      expect(res.json().error.fields.token).toBeTruthy();
    }
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/cards/verify', payload: { token: 'abc', extra: 1 } }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/cards/verify',
          payload: 'not json',
          headers: { 'content-type': 'application/json' },
        })
      ).statusCode,
    ).toBe(400);

    const garbage = [
      'garbage',
      'a.b.c',
      '...',
      `${'A'.repeat(40)}.${'B'.repeat(40)}.${'C'.repeat(86)}`,
      'eyJ.eyJ.sig',
      'x'.repeat(4096),
      `${b64json({ alg: 'EdDSA', typ: CARD_TYP })}.e30.${'A'.repeat(86)}`,
    ];
    for (const token of garbage) {
      const res = await verify(token);
      expect(res.statusCode, token).toBe(200);
      expect(res.json(), token).toMatchObject({ valid: false, reason: 'malformed' });
    }
    const verifyRoute = t.routes.find((r) => r.url === '/api/cards/verify');
    expect(verifyRoute?.config).toMatchObject({ public: true, rateLimit: { max: 600, timeWindow: '1 minute' } });
  });

  it('never accepts a token with any single character changed', async () => {
    const issued = await issue((await createPerson({ name: '置賜 三郎' })).id);
    const token = issued.token;
    expect(await reasonOf(token)).toBe('valid');
    const mutate = (i: number, c: string) => `${token.slice(0, i)}${c}${token.slice(i + 1)}`;

    // Every other base64url character in every position of the signature (where lenient decoders
    // would let some through), then random positions and characters anywhere.
    const sigStart = token.lastIndexOf('.') + 1;
    for (let i = sigStart; i < token.length; i++) {
      for (const c of B64URL) if (c !== token[i]) expect(await reasonOf(mutate(i, c)), `${i}:${c}`).not.toBe('valid');
    }
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: token.length - 1 }),
        fc.oneof(
          fc.constantFrom(...B64URL),
          fc.constantFrom('.', '=', '+', '/', ' ', '%', '\n', 'あ', '\u0000'),
          fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
        ),
        async (i, c) => {
          fc.pre(c !== token[i]);
          const outcome = await verifyCardToken(db, mutate(i, c), { issuer: PUBLIC_URL });
          expect(outcome.valid).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('documents the card routes in OpenAPI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const [path, method] of [
      ['/api/cards/verify', 'post'],
      ['/api/cards/revoked', 'get'],
      ['/api/people/{id}/cards', 'get'],
      ['/api/people/{id}/cards', 'post'],
      ['/api/cards/{id}/revoke', 'post'],
      ['/api/cards/keys/rotate', 'post'],
      ['/.well-known/jwks.json', 'get'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeTruthy();
    }
  });

  it('treats a validly signed card that is no longer on record as revoked', async () => {
    const issued = await issue((await createPerson()).id);
    await db.execute(sql`delete from cards where id = ${issued.card.id}`);
    expect(await reasonOf(issued.token)).toBe('revoked');
  });
});
