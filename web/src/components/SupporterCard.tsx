/**
 * The digital supporter card (ふるさとサポーター証) as its holder shows it: name, municipalities,
 * validity, certifications, and the QR code a checker's phone camera opens.
 */
import { useMemo } from 'react';
import { byCodeMap, formatDate, joinList, municipalityLabel, shortId } from '../format';
import { useMunicipalities } from '../hooks';
import { useLang, useT } from '../i18n';
import type { CardSummary } from '../types';

/** Certification kinds with their own badge style; others get the plain badge with the server's label. */
const KOKORO_FURUSATO = 'kokoro_furusato';

/**
 * The QR code comes from the server as SVG markup. It is shown through an <img> data URL, never
 * inserted into the page: an image cannot run scripts or touch the document, whatever the markup
 * holds. Anything that does not even look like an SVG document is not shown at all.
 */
export function svgDataUrl(svg: string | null | undefined): string | null {
  if (!svg || svg.length > 200_000) return null;
  if (!/^\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)?(<!DOCTYPE[^>]*>\s*)?<svg[\s>]/i.test(svg)) return null;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** The card's municipalities in the UI language (the card itself carries the Japanese names). */
export function useCardPlaces(card: CardSummary): string {
  const { lang } = useLang();
  const t = useT();
  const { municipalities } = useMunicipalities();
  const byCode = useMemo(() => byCodeMap(municipalities), [municipalities]);
  return joinList(
    card.municipalities.map(
      (m) =>
        (byCode.has(m.code) ? municipalityLabel(byCode.get(m.code), m.code, lang) : m.name) +
        (m.tier === 'premium' ? t('card.premiumTier') : ''),
    ),
    lang,
  );
}

export function CertificationBadges({ certifications }: { certifications: CardSummary['certifications'] }) {
  const t = useT();
  if (certifications.length === 0) return null;
  return (
    <ul className="badges" aria-label={t('card.certifications')}>
      {certifications.map((c) => (
        <li key={c.kind} className={c.kind === KOKORO_FURUSATO ? 'badge badge-kokoro' : 'badge'}>
          {c.kind === KOKORO_FURUSATO && <span aria-hidden="true">★ </span>}
          {c.label || c.kind}
        </li>
      ))}
    </ul>
  );
}

type Props = {
  card: CardSummary;
  qrSvg?: string | null | undefined;
  /** Where the QR code leads (the verify page with the token after #). */
  verifyUrl?: string | null | undefined;
  headingLevel?: 2 | 3;
};

export function SupporterCard({ card, qrSvg, verifyUrl, headingLevel = 2 }: Props) {
  const t = useT();
  const { lang } = useLang();
  const qr = svgDataUrl(qrSvg);
  const places = useCardPlaces(card);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const expired = new Date(card.expiresAt).getTime() < Date.now();
  return (
    <article className="supporter-card" aria-labelledby={`card-${card.id}`}>
      <Heading id={`card-${card.id}`} className="supporter-card-title">
        {t('card.title')}
      </Heading>
      <div className="supporter-card-body">
        <div className="supporter-card-text">
          <p className="supporter-card-name">{card.name}</p>
          <CertificationBadges certifications={card.certifications} />
          <dl className="details compact">
            <div>
              <dt>{t('card.municipalities')}</dt>
              <dd>{places}</dd>
            </div>
            <div>
              <dt>{t('card.validity')}</dt>
              <dd>
                {t('card.validRange', { from: formatDate(card.issuedAt, lang), to: formatDate(card.expiresAt, lang) })}
                {expired && <strong className="text-danger"> {t('card.expired')}</strong>}
              </dd>
            </div>
            <div>
              <dt>{t('card.number')}</dt>
              <dd>
                <code title={card.id}>{shortId(card.id)}</code>
              </dd>
            </div>
          </dl>
        </div>
        {qr && <img className="supporter-card-qr" src={qr} alt={t('card.qrAlt')} width={200} height={200} />}
      </div>
      {qr && <p className="hint">{t('card.qrHint')}</p>}
      {verifyUrl && (
        <p>
          <a href={verifyUrl}>{t('card.openVerify')}</a>
        </p>
      )}
    </article>
  );
}
