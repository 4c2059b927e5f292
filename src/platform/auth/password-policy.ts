/**
 * What a new staff password must not be, after NIST SP 800-63B §5.1.1.2 (memorized secrets): no
 * composition rules (no "one digit, one symbol"), a minimum length (12, in the request schema), and
 * a check against values known to be guessed first — a list of common and breached passwords and
 * repetitive or sequential characters. Checked where a password is chosen (a new staff account,
 * a change of password), never at sign-in: an existing password still lets its owner in to change it.
 */
import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The bundled list: zxcvbn-ts's 49,233 most common passwords from breach corpora (MIT,
 * @zxcvbn-ts/language-common). Compared after the same normalization as the candidate.
 */
let commonPasswords: ReadonlySet<string> | undefined;
function common(): ReadonlySet<string> {
  commonPasswords ??= new Set(dictionary['passwords-common'].map(normalizeForCheck));
  return commonPasswords;
}

/** Width, case and spacing do not make a password different to a guesser: ＰＡＳＳＷＯＲＤ is password. */
export function normalizeForCheck(password: string): string {
  return password.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

export type WeakPassword = 'common_password' | 'repetitive_password';

/** The longest run of repeats a password may be made of: "abcabcabcabc" (a unit of 3) is refused. */
const MAX_REPEATED_UNIT = 4;

/** Characters that are the same, or each one more (or one less) than the one before: "aaaa", "1234", "zyxw". */
function isRunOfOneStep(chars: readonly string[]): boolean {
  if (chars.length < 2) return true;
  const step = chars[1]!.codePointAt(0)! - chars[0]!.codePointAt(0)!;
  if (Math.abs(step) > 1) return false;
  for (let i = 2; i < chars.length; i++)
    if (chars[i]!.codePointAt(0)! - chars[i - 1]!.codePointAt(0)! !== step) return false;
  return true;
}

/** A short unit repeated to the length ("abab…", "123123…"), or a run of one step ("aaaa…", "abcd…"). */
function isRepetitive(chars: readonly string[]): boolean {
  if (isRunOfOneStep(chars)) return true;
  for (let unit = 1; unit <= MAX_REPEATED_UNIT && unit < chars.length; unit++) {
    let repeats = true;
    for (let i = unit; i < chars.length && repeats; i++) repeats = chars[i] === chars[i - unit];
    if (repeats) return true;
  }
  return false;
}

/** The shortest core a list entry must have to refuse its decorated forms ("baseball2025!"). */
const MIN_DECORATED_CORE = 4;

/**
 * Why this password would be refused as a new password, or null when it may be chosen: a listed
 * password, also with digits and symbols added before or after it ("password1234", "!!dragon2025"),
 * or a repetition or sequence.
 */
export function weakPassword(password: string): WeakPassword | null {
  const normalized = normalizeForCheck(password);
  if (common().has(normalized)) return 'common_password';
  const core = normalized.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  if (core.length >= MIN_DECORATED_CORE && core !== normalized && common().has(core)) return 'common_password';
  if (isRepetitive([...normalized])) return 'repetitive_password';
  return null;
}
