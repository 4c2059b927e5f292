/** Mail texts of the public registry, in the language the supporter used. */
import type { Locale } from '../../platform/i18n.js';

export function confirmationMail(locale: Locale, p: { name: string; link: string; municipalities: string[] }) {
  if (locale === 'en') {
    return {
      subject: '[Kankei] Please confirm your supporter registration',
      text: [
        `Dear ${p.name},`,
        '',
        `Thank you for registering as a supporter of ${p.municipalities.join(', ')}.`,
        'Open this link and press "Confirm registration" (valid for 7 days):',
        p.link,
        '',
        'If you did not register, ignore this mail: nothing will be registered.',
      ].join('\n'),
    };
  }
  return {
    subject: '【Kankei】ふるさとサポーター登録の確認',
    text: [
      `${p.name} 様`,
      '',
      `${p.municipalities.join('・')}のふるさとサポーター（ふるさと住民票）へのご登録ありがとうございます。`,
      '次のリンクを開き、「登録を確定する」を押してください（7日間有効）。',
      p.link,
      '',
      'お心当たりのない場合は、このメールを削除してください。登録は確定されません。',
    ].join('\n'),
  };
}

export function signInMail(locale: Locale, p: { name: string; link: string }) {
  if (locale === 'en') {
    return {
      subject: '[Kankei] Your sign-in link',
      text: [`Dear ${p.name},`, '', 'Open this link to see and manage your registration (valid for 30 minutes, once):', p.link, '', 'If you did not ask for it, ignore this mail.'].join('\n'),
    };
  }
  return {
    subject: '【Kankei】登録情報の確認用リンク',
    text: [`${p.name} 様`, '', '次のリンクから、ご登録の内容の確認・変更・削除ができます（30分間・1回限り有効）。', p.link, '', 'お心当たりのない場合は、このメールを削除してください。'].join('\n'),
  };
}
