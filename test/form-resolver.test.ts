/**
 * The web's forms check the request body with the server's own schemas and word each problem as
 * the server's error handler does (web/src/data/forms.ts), so a refusal reads the same whether the
 * form or the server finds it.
 */
import { describe, expect, it } from 'vitest';
import { fieldProblemMessage } from '../src/shared/messages';
import { CreatePerson } from '../src/shared/schemas/people';
import { CreateStaff } from '../src/shared/schemas/staff';
import { bodySchemaResolver } from '../web/src/data/forms';
import { bodyOf, consultationForm, type FormState } from '../web/src/pages/consultations/consultationForm';

type Values = { name: string; email: string; birthYear: string };
const toBody = (v: Values) => ({
  name: v.name,
  email: v.email || null,
  birthYear: /^\d+$/.test(v.birthYear) ? Number(v.birthYear) : v.birthYear || null,
});
const options = { fields: {}, shouldUseNativeValidation: false } as never;

describe('form resolver on a shared schema', () => {
  it('answers the parsed body when the server would accept it', async () => {
    const resolve = bodySchemaResolver(toBody, CreatePerson, 'ja');
    const result = await resolve({ name: ' 山形 花子 ', email: '', birthYear: '1990' }, undefined, options);
    expect(result.errors).toEqual({});
    expect(result.values).toMatchObject({ name: '山形 花子', email: null, birthYear: 1990 });
  });

  it('words each refused field as the server does, in the reader’s language', async () => {
    for (const lang of ['ja', 'en'] as const) {
      const resolve = bodySchemaResolver(toBody, CreatePerson, lang);
      const result = await resolve({ name: '', email: 'not-an-address', birthYear: '19x0' }, undefined, options);
      expect(result.errors.name?.message).toBe(fieldProblemMessage(lang, 'name', { problem: 'required' }));
      expect(result.errors.email?.message).toBe(fieldProblemMessage(lang, 'email', { problem: 'invalid_email' }));
      expect(result.errors.birthYear?.message).toBe(
        fieldProblemMessage(lang, 'birthYear', { problem: 'invalid_type', params: { expected: 'number' } }),
      );
    }
  });

  it('words a staff account without a chosen role and with a short password as the server does', async () => {
    const resolve = bodySchemaResolver(
      (v: { role: string; password: string }) => ({ email: 'a@example.jp', name: '山形', ...v }),
      CreateStaff,
      'ja',
    );
    const result = await resolve({ role: '', password: 'short' }, undefined, options);
    expect(Object.keys(result.errors).sort()).toEqual(['password', 'role']);
    expect(result.errors.password?.message).toBe(
      fieldProblemMessage('ja', 'password', { problem: 'too_short', params: { min: 12 } }),
    );
  });

  it('refuses a consultation about nobody, as the consultation service does', async () => {
    const values: FormState = {
      channel: 'fair',
      occurredOn: '2024-06-01',
      consultantId: '',
      topics: [],
      municipalityCodes: [],
      desiredTiming: '',
      householdSize: 'three',
      withChildren: '',
      familyNote: '',
      notes: '',
      nextAction: '',
      nextActionDue: '',
      eventId: '',
      boothId: '',
      referral: {
        enabled: false,
        target: 'organization',
        organizationId: '',
        municipalityCode: '',
        area: '',
        message: '',
      },
      person: null,
    };
    const result = await bodySchemaResolver(bodyOf, consultationForm, 'en')(values, undefined, options);
    expect(Object.keys(result.errors).sort()).toEqual(['householdSize', 'personId']);
    expect((result.errors as Record<string, { message?: string }>).personId?.message).toBe(
      fieldProblemMessage('en', 'personId', { problem: 'person_or_id' }),
    );
    const withPerson = {
      ...values,
      householdSize: '3',
      person: {
        kind: 'new',
        person: { name: '移住 希望子', kana: '', email: '', phone: '', prefecture: '', city: '' },
      },
    };
    const accepted = await bodySchemaResolver(bodyOf, consultationForm, 'en')(
      withPerson as FormState,
      undefined,
      options,
    );
    expect(accepted.errors).toEqual({});
    expect(accepted.values).toMatchObject({
      person: { name: '移住 希望子' },
      householdSize: 3,
      occurredOn: '2024-06-01',
    });
  });
});
