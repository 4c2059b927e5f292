import { useLang, useT } from '../i18n';

/**
 * Labelled with the other language's name, written in that language — the convention people
 * look for. The name is the visible text (no aria-label), so voice-control users can say what
 * they see; the title explains the action in the current language.
 */
export function LanguageSwitch() {
  const t = useT();
  const { lang, setLang } = useLang();
  const other = lang === 'ja' ? 'en' : 'ja';
  return (
    <button
      type="button"
      className="button-secondary lang-switch"
      title={t('lang.switchLabel')}
      onClick={() => setLang(other)}
    >
      <span lang={other}>{t('lang.switchTo')}</span>
    </button>
  );
}
