import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { missingFields, planColumns, recognizeHeader } from './donations.fields.js';

describe('header recognition', () => {
  it.each([
    ['寄附者氏名', 'name'],
    ['氏名', 'name'],
    ['お名前', 'name'],
    ['寄付者名', 'name'],
    ['フリガナ', 'kana'],
    ['ふりがな', 'kana'],
    ['ﾌﾘｶﾞﾅ', 'kana'],
    ['氏名（フリガナ）', 'kana'],
    ['寄附日', 'donatedOn'],
    ['寄付日', 'donatedOn'],
    ['入金日', 'donatedOn'],
    ['寄附年月日', 'donatedOn'],
    ['寄附金額', 'amountYen'],
    ['寄付金額（円）', 'amountYen'],
    ['金額', 'amountYen'],
    ['郵便番号', 'postalCode'],
    ['〒', 'postalCode'],
    ['住所', 'address'],
    ['寄附者住所', 'address'],
    ['ご住所', 'address'],
    ['電話番号', 'phone'],
    ['TEL', 'phone'],
    ['携帯電話番号', 'phone'],
    ['メールアドレス', 'email'],
    ['E-mail', 'email'],
    ['Ｅメール', 'email'],
    ['受付番号', 'receiptNumber'],
    ['寄附番号', 'receiptNumber'],
    ['申込番号', 'receiptNumber'],
    ['受付No.', 'receiptNumber'],
    ['氏名（姓）', 'familyName'],
    ['姓', 'familyName'],
    ['名', 'givenName'],
    ['セイ', 'familyKana'],
    ['メイ', 'givenKana'],
    ['都道府県', 'prefecture'],
    ['市区町村', 'city'],
    [' 寄附金額 ※必須', 'amountYen'],
  ])('%s → %s', (header, field) => {
    expect(recognizeHeader(header)?.field).toBe(field);
  });

  it.each(['返礼品', '送付先氏名', '送付先住所', '備考', '', 'X'])('%s is not a donor field', (header) => {
    const hit = recognizeHeader(header);
    expect(hit === null || hit.field === 'ignore').toBe(true);
  });

  it('prefers 入金日 to 寄附日 to 申込日, whatever the column order', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(['申込日', '寄附日', '入金日', '氏名', '金額'], { minLength: 5, maxLength: 5 }),
        (headers) => {
          const { plan } = planColumns(headers);
          expect(headers[plan.columns.donatedOn!]).toBe('入金日');
          expect(plan.mapping.寄附日).toBeNull();
        },
      ),
    );
  });

  it('maps a platform export without any mapping', () => {
    const headers = [
      '受付番号',
      '寄附日',
      '寄附金額',
      '寄附者氏名',
      'フリガナ',
      '郵便番号',
      '住所',
      '電話番号',
      'メールアドレス',
      '返礼品',
    ];
    const { plan, problems } = planColumns(headers);
    expect(problems).toEqual([]);
    expect(missingFields(plan)).toEqual([]);
    expect(plan.mapping).toMatchObject({ 受付番号: 'receiptNumber', 寄附日: 'donatedOn', 返礼品: null });
  });

  it('lets a mapping name unknown headers, override and ignore recognized ones', () => {
    const headers = ['Donor', 'Paid on', 'Yen', '金額'];
    expect(missingFields(planColumns(headers).plan)).toEqual(['name', 'donatedOn']);
    const { plan, problems } = planColumns(headers, {
      Donor: 'name',
      'Paid on': 'donatedOn',
      Yen: 'amountYen',
      金額: 'ignore',
    });
    expect(problems).toEqual([]);
    expect(plan.columns).toEqual({ name: 0, donatedOn: 1, amountYen: 2 });
    expect(plan.mapping.金額).toBeNull();
    expect(missingFields(plan)).toEqual([]);
  });

  it('reports mapping problems: unknown header, unknown field, two columns for one field', () => {
    const headers = ['氏名', '日付', '金額', '備考'];
    expect(planColumns(headers, { 誰: 'name' }).problems).toEqual([{ problem: 'unknown_column', value: '誰' }]);
    expect(planColumns(headers, { 備考: 'shoeSize' }).problems).toEqual([
      { problem: 'unknown_target', value: 'shoeSize' },
    ]);
    expect(planColumns(headers, { 氏名: 'name', 備考: 'name' }).problems).toEqual([
      { problem: 'duplicate_target', value: 'name' },
    ]);
  });

  it('requires a name (or family name), a date and an amount', () => {
    expect(missingFields(planColumns(['姓', '名', '入金日', '金額']).plan)).toEqual([]);
    expect(missingFields(planColumns(['メールアドレス']).plan)).toEqual(['name', 'donatedOn', 'amountYen']);
  });
});
