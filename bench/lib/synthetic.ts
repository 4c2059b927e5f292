/**
 * Synthetic people for the benchmarks: Japanese names and readings built from lists of common
 * surnames and given-name syllables, emails on the reserved example.jp domain, mobile numbers.
 * Deterministic (seeded), so every run searches the same population. No real person is described.
 */
import { LINK_KINDS, type LinkKind } from '../../src/shared/domain.js';

/** mulberry32: small, fast, good enough for test data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Part = readonly [kanji: string, kana: string, romaji: string];

/** Common surnames, most frequent first (picked with a Zipf-like skew). */
const SURNAMES: readonly Part[] = [
  ['佐藤', 'サトウ', 'sato'],
  ['鈴木', 'スズキ', 'suzuki'],
  ['高橋', 'タカハシ', 'takahashi'],
  ['田中', 'タナカ', 'tanaka'],
  ['伊藤', 'イトウ', 'ito'],
  ['渡辺', 'ワタナベ', 'watanabe'],
  ['山本', 'ヤマモト', 'yamamoto'],
  ['中村', 'ナカムラ', 'nakamura'],
  ['小林', 'コバヤシ', 'kobayashi'],
  ['加藤', 'カトウ', 'kato'],
  ['吉田', 'ヨシダ', 'yoshida'],
  ['山田', 'ヤマダ', 'yamada'],
  ['佐々木', 'ササキ', 'sasaki'],
  ['山口', 'ヤマグチ', 'yamaguchi'],
  ['松本', 'マツモト', 'matsumoto'],
  ['井上', 'イノウエ', 'inoue'],
  ['木村', 'キムラ', 'kimura'],
  ['林', 'ハヤシ', 'hayashi'],
  ['斎藤', 'サイトウ', 'saito'],
  ['清水', 'シミズ', 'shimizu'],
  ['山崎', 'ヤマザキ', 'yamazaki'],
  ['森', 'モリ', 'mori'],
  ['池田', 'イケダ', 'ikeda'],
  ['橋本', 'ハシモト', 'hashimoto'],
  ['阿部', 'アベ', 'abe'],
  ['石川', 'イシカワ', 'ishikawa'],
  ['山下', 'ヤマシタ', 'yamashita'],
  ['中島', 'ナカジマ', 'nakajima'],
  ['石井', 'イシイ', 'ishii'],
  ['小川', 'オガワ', 'ogawa'],
  ['前田', 'マエダ', 'maeda'],
  ['岡田', 'オカダ', 'okada'],
  ['長谷川', 'ハセガワ', 'hasegawa'],
  ['藤田', 'フジタ', 'fujita'],
  ['後藤', 'ゴトウ', 'goto'],
  ['近藤', 'コンドウ', 'kondo'],
  ['村上', 'ムラカミ', 'murakami'],
  ['遠藤', 'エンドウ', 'endo'],
  ['青木', 'アオキ', 'aoki'],
  ['坂本', 'サカモト', 'sakamoto'],
  ['菅原', 'スガワラ', 'sugawara'],
  ['奥山', 'オクヤマ', 'okuyama'],
  ['結城', 'ユウキ', 'yuki'],
  ['五十嵐', 'イガラシ', 'igarashi'],
  ['大沼', 'オオヌマ', 'onuma'],
  ['安孫子', 'アビコ', 'abiko'],
  ['丸山', 'マルヤマ', 'maruyama'],
  ['中山', 'ナカヤマ', 'nakayama'],
  ['横山', 'ヨコヤマ', 'yokoyama'],
  ['高山', 'タカヤマ', 'takayama'],
  ['今野', 'コンノ', 'konno'],
  ['須藤', 'スドウ', 'sudo'],
  ['芳賀', 'ハガ', 'haga'],
  ['庄司', 'ショウジ', 'shoji'],
  ['武田', 'タケダ', 'takeda'],
  ['土田', 'ツチダ', 'tsuchida'],
];

/** Given names are two syllables: a head and a tail, each with its kanji and reading. */
const GIVEN_HEADS: readonly Part[] = [
  ['亜', 'ア', 'a'],
  ['愛', 'アイ', 'ai'],
  ['明', 'アキ', 'aki'],
  ['彩', 'アヤ', 'aya'],
  ['一', 'イチ', 'ichi'],
  ['和', 'カズ', 'kazu'],
  ['健', 'ケン', 'ken'],
  ['幸', 'コウ', 'ko'],
  ['沙', 'サ', 'sa'],
  ['智', 'トモ', 'tomo'],
  ['翔', 'ショウ', 'sho'],
  ['真', 'マ', 'ma'],
  ['大', 'ダイ', 'dai'],
  ['拓', 'タク', 'taku'],
  ['千', 'チ', 'chi'],
  ['奈', 'ナ', 'na'],
  ['花', 'ハナ', 'hana'],
  ['陽', 'ハル', 'haru'],
  ['秀', 'ヒデ', 'hide'],
  ['美', 'ミ', 'mi'],
  ['由', 'ユ', 'yu'],
  ['優', 'ユウ', 'yu'],
  ['結', 'ユイ', 'yui'],
  ['理', 'リ', 'ri'],
  ['恵', 'ケイ', 'kei'],
  ['浩', 'ヒロ', 'hiro'],
  ['直', 'ナオ', 'nao'],
  ['雄', 'ユウ', 'yu'],
  ['光', 'ミツ', 'mitsu'],
  ['信', 'ノブ', 'nobu'],
];
const GIVEN_TAILS: readonly Part[] = [
  ['子', 'コ', 'ko'],
  ['美', 'ミ', 'mi'],
  ['香', 'カ', 'ka'],
  ['奈', 'ナ', 'na'],
  ['菜', 'ナ', 'na'],
  ['斗', 'ト', 'to'],
  ['人', 'ト', 'to'],
  ['介', 'スケ', 'suke'],
  ['太', 'タ', 'ta'],
  ['也', 'ヤ', 'ya'],
  ['輝', 'キ', 'ki'],
  ['希', 'キ', 'ki'],
  ['穂', 'ホ', 'ho'],
  ['里', 'リ', 'ri'],
  ['郎', 'ロウ', 'ro'],
  ['樹', 'キ', 'ki'],
  ['代', 'ヨ', 'yo'],
  ['絵', 'エ', 'e'],
];
/** Whole given names that do not split into syllables, used for a share of the people. */
const GIVEN_WHOLE: readonly Part[] = [
  ['太郎', 'タロウ', 'taro'],
  ['花子', 'ハナコ', 'hanako'],
  ['翔太', 'ショウタ', 'shota'],
  ['美咲', 'ミサキ', 'misaki'],
  ['大輔', 'ダイスケ', 'daisuke'],
  ['陽菜', 'ヒナ', 'hina'],
  ['悠真', 'ユウマ', 'yuma'],
  ['結衣', 'ユイ', 'yui'],
  ['健太郎', 'ケンタロウ', 'kentaro'],
  ['誠', 'マコト', 'makoto'],
  ['さくら', 'サクラ', 'sakura'],
  ['拓海', 'タクミ', 'takumi'],
  ['真由美', 'マユミ', 'mayumi'],
  ['浩二', 'コウジ', 'koji'],
  ['恵子', 'ケイコ', 'keiko'],
  ['直樹', 'ナオキ', 'naoki'],
];

export type SyntheticName = { name: string; kana: string; romaji: string };

export type SyntheticPerson = {
  name: string;
  kana: string;
  email: string;
  phone: string;
  municipalityCode: string;
  kind: LinkKind;
};

/** Zipf-ish cumulative weights for the surname list. */
const surnameCdf = (() => {
  const weights = SURNAMES.map((_, i) => 1 / (i + 1) ** 0.7);
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  return weights.map((w) => (acc += w / total));
})();

export class SyntheticPeople {
  readonly #random: () => number;
  readonly #codes: readonly string[];

  constructor(seed: number, municipalityCodes: readonly string[]) {
    if (municipalityCodes.length === 0) throw new Error('no municipalities seeded');
    this.#random = seededRandom(seed);
    this.#codes = municipalityCodes;
  }

  #pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.#random() * list.length)]!;
  }

  name(): SyntheticName {
    const u = this.#random();
    const surname =
      SURNAMES[
        Math.max(
          0,
          surnameCdf.findIndex((c) => u <= c),
        )
      ]!;
    let given: Part;
    if (this.#random() < 0.35) {
      given = this.#pick(GIVEN_WHOLE);
    } else {
      const head = this.#pick(GIVEN_HEADS);
      const tail = this.#pick(GIVEN_TAILS);
      given = [head[0] + tail[0], head[1] + tail[1], head[2] + tail[2]];
    }
    return {
      name: `${surname[0]} ${given[0]}`,
      kana: `${surname[1]} ${given[1]}`,
      romaji: `${surname[2]}.${given[2]}`,
    };
  }

  /** A municipality link: Yamagata city gets a larger share, as in the real registrations. */
  link(): { municipalityCode: string; kind: LinkKind } {
    const municipalityCode = this.#random() < 0.25 ? '062014' : this.#pick(this.#codes);
    return { municipalityCode, kind: this.#pick(LINK_KINDS) };
  }

  /**
   * The index-th person of a series. `tag` keeps emails of different series apart and
   * `phonePrefix` (070, 080, 090…) their phone numbers, so the service's duplicate check
   * never refuses one.
   */
  person(index: number, series: { tag: string; phonePrefix: string }): SyntheticPerson {
    const { name, kana, romaji } = this.name();
    return {
      name,
      kana,
      email: `${romaji}.${series.tag}${index}@example.jp`,
      phone: phoneNumber(series.phonePrefix, index),
      ...this.link(),
    };
  }
}

/**
 * A unique mobile number for index < 10^8: the index is scrambled by a multiplication that is a
 * bijection modulo 10^8, so the numbers look random yet never repeat.
 */
export function phoneNumber(prefix: string, index: number): string {
  const n = Number((BigInt(index) * 48_271n + 12_345_678n) % 100_000_000n);
  const digits = String(n).padStart(8, '0');
  return `${prefix}-${digits.slice(0, 4)}-${digits.slice(4)}`;
}
