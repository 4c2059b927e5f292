'use strict';
/**
 * autocannon `setupRequest` for the fair-day mix (bench/fairday.ts): every request of a kind gets
 * the next item of that kind, so each visitor registers once (unique email), is checked in once
 * (the next ticket's QR token) and consults at two booths.
 *
 * autocannon runs in a worker thread and `require`s this file there, so it is plain CommonJS. The
 * request carries its data in `kankei`:
 *   registration: { kind, offset, tag, formToken, codes: [code] }
 *   checkin:      { kind, offset, tokens: [qrToken] }
 *   consultation: { kind, offset, today, eventId, visitors: [{ personId, booth, secondBooth }] }
 *   followup:     the same; the visitor's second booth, half the pool away from the first one, so a
 *                 visitor's two consultations are minutes apart, not simultaneous
 * `offset` moves on between runs (each run starts a new worker with fresh counters).
 */
const counters = { registration: 0, checkin: 0, consultation: 0, followup: 0 };
const TOPICS = [
  'work',
  'housing',
  'childcare',
  'farming',
  'two_region_living',
  'side_job',
  'support_programs',
  'snow_life',
];
const PREFECTURES = [
  '東京都',
  '東京都',
  '東京都',
  '神奈川県',
  '埼玉県',
  '千葉県',
  '大阪府',
  '愛知県',
  '宮城県',
  '山形県',
];
const SURNAMES = [
  ['佐藤', 'サトウ'],
  ['鈴木', 'スズキ'],
  ['高橋', 'タカハシ'],
  ['伊藤', 'イトウ'],
  ['奥山', 'オクヤマ'],
  ['結城', 'ユウキ'],
];
const GIVEN = [
  ['花子', 'ハナコ'],
  ['太郎', 'タロウ'],
  ['美咲', 'ミサキ'],
  ['健太', 'ケンタ'],
  ['陽菜', 'ヒナ'],
];

module.exports = function setupRequest(request) {
  const spec = request.kankei;
  const i = spec.offset + counters[spec.kind]++;
  if (spec.kind === 'registration') {
    const [sn, sk] = SURNAMES[i % SURNAMES.length];
    const [gn, gk] = GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length];
    request.body = JSON.stringify({
      name: `${sn} ${gn}`,
      kana: `${sk} ${gk}`,
      email: `fair.${spec.tag}${i}@example.jp`,
      prefecture: PREFECTURES[i % PREFECTURES.length],
      city: '世田谷区',
      municipalityCodes: [spec.codes[i % spec.codes.length]],
      consents: { newsletter: i % 2 === 0, shareWithMunicipalities: true, anonymousStatistics: true },
      locale: 'ja',
      formToken: spec.formToken,
    });
  } else if (spec.kind === 'checkin') {
    request.body = JSON.stringify({ qrToken: spec.tokens[i % spec.tokens.length] });
  } else {
    // The first booth of visitor i; or (followup) the second booth of a visitor half the pool away.
    const n = spec.visitors.length;
    const v = spec.visitors[spec.kind === 'consultation' ? i % n : (i + Math.floor(n / 2)) % n];
    const booth = spec.kind === 'consultation' ? v.booth : v.secondBooth;
    request.body = JSON.stringify({
      personId: v.personId,
      channel: 'fair',
      occurredOn: spec.today,
      topics: [TOPICS[i % TOPICS.length], TOPICS[(i * 7 + 3) % TOPICS.length]].filter((t, k, a) => a.indexOf(t) === k),
      municipalityCodes: [booth.code],
      eventId: spec.eventId,
      boothId: booth.id,
      nextAction: '資料を送付',
    });
  }
  return request;
};
