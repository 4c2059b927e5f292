/**
 * The confirmation mail of an event registration (受付票), in the language the registrant used:
 * date and time in Japan time, venue or online link, the booked consultation slot, the link to the
 * ticket page, and two attachments — the calendar entry (.ics) and the check-in QR code (PNG).
 * And the mails that tell a registrant the event was called off, or that their registration was cancelled.
 */
import QRCode from 'qrcode';
import type { Locale } from '../../platform/i18n.js';
import type { MailMessage } from '../../platform/mail/mail.service.js';
import { eventCalendar } from './events.ics.js';
import { formatTokyoRangeEn, formatTokyoRangeJa } from './events.rules.js';

type EventTexts = {
  title: string;
  description?: string | null;
  titleEn?: string | null;
  descriptionEn?: string | null;
};

/** The event with its title and description in the mail's language (English where the event has it). */
function inLocale<E extends EventTexts>(event: E, locale: Locale): E {
  if (locale !== 'en') return event;
  return {
    ...event,
    title: event.titleEn || event.title,
    ...(event.description !== undefined ? { description: event.descriptionEn || event.description } : {}),
  };
}

export type TicketMailInput = {
  locale: Locale;
  name: string;
  registrationId: string;
  event: {
    id: string;
    title: string;
    startsAt: Date;
    endsAt: Date;
    venue: string | null;
    onlineUrl: string | null;
    description: string | null;
    /** The English texts, used in English mails where the event has them. */
    titleEn?: string | null;
    descriptionEn?: string | null;
  };
  slot: { boothName: string; boothNameEn?: string | null; startsAt: Date; endsAt: Date } | null;
  ticketUrl: string;
  /** The check-in token the QR code carries. */
  qrToken: string;
  /** true: the address was already registered and this mail is sent again. */
  resent: boolean;
};

/**
 * The QR code of a ticket as PNG bytes; it carries the check-in token itself (what the desk scans).
 * Grayscale with the PNG "Up" filter: rows of a QR code repeat, so Up compresses them to almost
 * nothing, and pngjs no longer tries all five filters per row — 5 ms and 1.6 kB instead of 14 ms
 * and 2.8 kB per code at 360 px (docs/benchmarks.md, fair day).
 */
export function ticketQrPng(qrToken: string): Promise<Buffer> {
  return QRCode.toBuffer(qrToken, {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: 2,
    width: 360,
    rendererOpts: QR_PNG_OPTIONS,
  });
}

/** pngjs options: qrcode hands rendererOpts to pngjs as they are, though its types list only the deflate ones. */
const QR_PNG_OPTIONS: object = { filterType: 2, colorType: 0 };

/** The same QR code as SVG, for the ticket page. */
export function ticketQrSvg(qrToken: string): Promise<string> {
  return QRCode.toString(qrToken, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** The booth's name in the mail's language: English where staff gave one, the Japanese name otherwise. */
const boothIn = (slot: NonNullable<TicketMailInput['slot']>, locale: Locale) =>
  (locale === 'en' && slot.boothNameEn) || slot.boothName;

/**
 * The calendar entry of a registration: the mail's attachment and the ticket page's download are
 * the same file (same UID, so adding both updates one entry).
 */
export function ticketCalendar(
  p: Pick<TicketMailInput, 'locale' | 'registrationId' | 'event' | 'slot' | 'ticketUrl'>,
): string {
  const { slot } = p;
  const event = inLocale(p.event, p.locale);
  const booth = slot && boothIn(slot, p.locale);
  const slotWhen = slot
    ? p.locale !== 'en'
      ? formatTokyoRangeJa(slot.startsAt, slot.endsAt)
      : formatTokyoRangeEn(slot.startsAt, slot.endsAt)
    : null;
  return eventCalendar({
    uid: `${p.registrationId}@kankei`,
    title: event.title,
    description: [event.description, slot ? `${booth} ${slotWhen}` : null, p.ticketUrl].filter(Boolean).join('\n'),
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    location: event.venue ?? event.onlineUrl,
    url: p.ticketUrl,
  });
}

export async function ticketMail(p: TicketMailInput): Promise<Omit<MailMessage, 'to' | 'personId' | 'kind'>> {
  const { slot } = p;
  const event = inLocale(p.event, p.locale);
  const ja = p.locale !== 'en';
  const booth = slot && boothIn(slot, p.locale);
  const when = ja ? formatTokyoRangeJa(event.startsAt, event.endsAt) : formatTokyoRangeEn(event.startsAt, event.endsAt);
  const slotWhen = slot
    ? ja
      ? formatTokyoRangeJa(slot.startsAt, slot.endsAt)
      : formatTokyoRangeEn(slot.startsAt, slot.endsAt)
    : null;
  const lines = ja
    ? [
        `${p.name} 様`,
        '',
        p.resent
          ? `「${event.title}」へはすでにお申し込みいただいています。受付票をもう一度お送りします。`
          : `「${event.title}」へのお申し込みを受け付けました。`,
        '',
        `■ 日時　${when}（日本時間）`,
        ...(event.venue ? [`■ 会場　${event.venue}`] : []),
        ...(event.onlineUrl ? [`■ オンライン参加　${event.onlineUrl}`] : []),
        ...(slot ? [`■ ご予約の相談枠　${booth}　${slotWhen}`] : []),
        '',
        '当日は受付で、添付の QR コード（または下の受付票ページの QR コード）をご提示ください。',
        `受付票: ${p.ticketUrl}`,
        '',
        '添付のカレンダーファイル（.ics）で、予定をカレンダーに追加できます。',
        'お心当たりのない場合は、このメールを削除してください。',
      ]
    : [
        `Dear ${p.name},`,
        '',
        p.resent
          ? `You are already registered for "${event.title}". Here is your ticket again.`
          : `Your registration for "${event.title}" has been received.`,
        '',
        `When: ${when}`,
        ...(event.venue ? [`Where: ${event.venue}`] : []),
        ...(event.onlineUrl ? [`Online: ${event.onlineUrl}`] : []),
        ...(slot ? [`Your consultation slot: ${booth}, ${slotWhen}`] : []),
        '',
        'Please show the attached QR code (or the one on your ticket page) at the reception desk.',
        `Ticket: ${p.ticketUrl}`,
        '',
        'Add the event to your calendar with the attached .ics file.',
        'If you did not register, please ignore this mail.',
      ];
  const calendar = ticketCalendar(p);
  const png = await ticketQrPng(p.qrToken);
  return {
    locale: p.locale,
    subject: ja ? `お申し込み受付：${event.title}` : `Registration confirmed: ${event.title}`,
    text: lines.join('\n'),
    attachments: [
      {
        filename: 'event.ics',
        contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
        content: Buffer.from(calendar, 'utf8').toString('base64'),
      },
      { filename: 'checkin-qr.png', contentType: 'image/png', content: png.toString('base64') },
    ],
  };
}

/** The notice to a registrant that the event was cancelled (中止のお知らせ), in the language they registered in. */
export function eventCancelledMail(p: {
  locale: Locale;
  name: string;
  event: { title: string; titleEn?: string | null; startsAt: Date; endsAt: Date; venue: string | null };
  /** The public list of events, for another date. */
  eventsUrl: string;
}): Omit<MailMessage, 'to' | 'personId' | 'kind'> {
  const event = inLocale(p.event, p.locale);
  const ja = p.locale !== 'en';
  const when = ja ? formatTokyoRangeJa(event.startsAt, event.endsAt) : formatTokyoRangeEn(event.startsAt, event.endsAt);
  const lines = ja
    ? [
        `${p.name} 様`,
        '',
        `お申し込みいただいていた「${event.title}」は、中止となりました。`,
        'ご予定を空けてくださっていたところ、誠に申し訳ございません。',
        '',
        `■ 日時（中止）　${when}（日本時間）`,
        ...(event.venue ? [`■ 会場　${event.venue}`] : []),
        '',
        'お申し込みの手続きは不要です。受付票と QR コードは使えなくなりました。',
        `ほかのイベントはこちらからご覧いただけます: ${p.eventsUrl}`,
      ]
    : [
        `Dear ${p.name},`,
        '',
        `We are sorry to tell you that "${event.title}", which you registered for, has been cancelled.`,
        '',
        `When (cancelled): ${when}`,
        ...(event.venue ? [`Where: ${event.venue}`] : []),
        '',
        'You need not do anything. Your ticket and its QR code are no longer valid.',
        `See our other events: ${p.eventsUrl}`,
      ];
  return {
    locale: p.locale,
    subject: ja ? `中止のお知らせ：${event.title}` : `Event cancelled: ${event.title}`,
    text: lines.join('\n'),
  };
}

/**
 * The confirmation that a registration was cancelled (キャンセル受付), in the language of the
 * registration: by the registrant on the ticket page, or by the center (a call, a known no-show) —
 * then it also lets the registrant notice a cancellation they did not ask for.
 */
export function registrationCancelledMail(p: {
  locale: Locale;
  name: string;
  by: 'registrant' | 'staff';
  event: { title: string; titleEn?: string | null; startsAt: Date; endsAt: Date; venue: string | null };
  /** The event's public page, to register again while it is open. */
  eventUrl: string;
}): Omit<MailMessage, 'to' | 'personId' | 'kind'> {
  const event = inLocale(p.event, p.locale);
  const ja = p.locale !== 'en';
  const when = ja ? formatTokyoRangeJa(event.startsAt, event.endsAt) : formatTokyoRangeEn(event.startsAt, event.endsAt);
  const lines = ja
    ? [
        `${p.name} 様`,
        '',
        p.by === 'staff'
          ? `「${event.title}」へのお申し込みを、センターで取り消しました。`
          : `「${event.title}」へのお申し込みのキャンセルを受け付けました。`,
        '',
        `■ 日時　${when}（日本時間）`,
        ...(event.venue ? [`■ 会場　${event.venue}`] : []),
        '',
        '受付票と QR コードは使えなくなりました。',
        `改めて参加される場合は、こちらからお申し込みください: ${p.eventUrl}`,
        p.by === 'staff'
          ? 'お心当たりのない場合は、センターまでご連絡ください。'
          : 'お心当たりのない場合は、上のページからもう一度お申し込みください。',
      ]
    : [
        `Dear ${p.name},`,
        '',
        p.by === 'staff'
          ? `The center has cancelled your registration for "${event.title}".`
          : `Your registration for "${event.title}" has been cancelled as you asked.`,
        '',
        `When: ${when}`,
        ...(event.venue ? [`Where: ${event.venue}`] : []),
        '',
        'Your ticket and its QR code are no longer valid.',
        `To take part after all, register again here: ${p.eventUrl}`,
        p.by === 'staff'
          ? 'If you did not ask for this, please contact the center.'
          : 'If you did not cancel, please register again at the link above.',
      ];
  return {
    locale: p.locale,
    subject: ja ? `キャンセル受付：${event.title}` : `Registration cancelled: ${event.title}`,
    text: lines.join('\n'),
  };
}
