/** The supporter lifecycle: privacy notice, registration cap, tiers and premium applications, profile editing. */
export const ja = {
  'privacy.title': '個人情報の取扱い（プライバシーポリシー）',
  'privacy.link': '個人情報の取扱いについて',
  'privacy.cap': '1人が登録できる市町村は{cap}までです。',
};

export const en: { [K in keyof typeof ja]: string } = {
  'privacy.title': 'How we handle your personal data (privacy notice)',
  'privacy.link': 'How we handle your personal data',
  'privacy.cap': 'One person can register with up to {cap} municipalities.',
};
