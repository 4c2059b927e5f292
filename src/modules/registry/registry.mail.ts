/** Mail texts of the public registry, in the language the supporter used. */
import type { Locale } from '../../platform/i18n.js';

/**
 * The confirmation link of a sign-up. It greets nobody by name and repeats no text from the form:
 * the form is open to anyone and the address is not verified yet, so the submitted name could be
 * anything someone wants mailed to a stranger from the prefecture's address ("当選しました、090-…
 * へお電話を"). What it says comes from Kankei: the municipalities (names from our list) and the link.
 */
export function confirmationMail(locale: Locale, p: { link: string; municipalities: string[] }) {
  if (locale === 'en') {
    return {
      locale,
      subject: 'Please confirm your supporter registration',
      text: [
        `A registration as a supporter of ${p.municipalities.join(', ')} was requested for this email address.`,
        'To complete it, open this link and press "Confirm registration" (valid for 7 days):',
        p.link,
        '',
        'If the form was sent more than once, the registration is made as sent last, and only the newest link works.',
        'If you did not register, ignore this mail: nothing will be registered.',
      ].join('\n'),
    };
  }
  return {
    locale,
    subject: 'ふるさとサポーター登録の確認',
    text: [
      `このメールアドレスで、${p.municipalities.join('・')}のふるさとサポーター（ふるさと住民票）へのご登録のお申し込みがありました。`,
      '登録を完了するには、次のリンクを開き、「登録を確定する」を押してください（7日間有効）。',
      p.link,
      '',
      'フォームを複数回送信された場合は、最後に送信された内容で登録されます（有効なのは最新のメールのリンクのみです）。',
      'お心当たりのない場合は、このメールを削除してください。登録は確定されません。',
    ].join('\n'),
  };
}

export function signInMail(locale: Locale, p: { name: string; link: string }) {
  if (locale === 'en') {
    return {
      locale,
      subject: 'Your sign-in link',
      text: [
        `Dear ${p.name},`,
        '',
        'Open this link to see and manage your registration (valid for 30 minutes, once):',
        p.link,
        '',
        'If you did not ask for it, ignore this mail.',
      ].join('\n'),
    };
  }
  return {
    locale,
    subject: '登録情報の確認用リンク',
    text: [
      `${p.name} 様`,
      '',
      '次のリンクから、ご登録の内容の確認・変更・削除ができます（30分間・1回限り有効）。',
      p.link,
      '',
      'お心当たりのない場合は、このメールを削除してください。',
    ].join('\n'),
  };
}
