import { useLang, useT } from '../i18n';

/** Shows the other language's name in that language, the convention users look for. */
export function LanguageSwitch() {
  const t = useT();
  const { lang, setLang } = useLang();
  const other = lang === 'ja' ? 'en' : 'ja';
  return (
    <button
      type="button"
      className="button-secondary lang-switch"
      lang={other}
      aria-label={t('lang.switchLabel')}
      onClick={() => setLang(other)}
    >
      {t('lang.switchTo')}
    </button>
  );
}
