/**
 * Colour classes for the choropleth. Counts per municipality are very skewed (the cities hold
 * most people), so equal-width classes would paint almost every town the same pale colour;
 * classes are cut at quantiles of the non-zero counts instead. Zero keeps its own neutral
 * colour, so "nobody yet" stays visibly different from "a few".
 */
const PALETTE = ['#d6e8f5', '#9ecae1', '#5ea4cf', '#2b7bba', '#0b4f8a'] as const;
export const ZERO_COLOR = '#f2f2ef';

export type ColorClass = { min: number; max: number; color: string };
export type ColorScale = ColorClass[];

/** Integer ranges [min, max] covering 1..max(values), split at quantiles, without empty or repeated classes. */
function quantileRanges(values: number[], classes: number): Array<[number, number]> {
  const sorted = values.filter((v) => v > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const uppers: number[] = [];
  for (let i = 1; i <= classes; i++) {
    const upper = sorted[Math.min(sorted.length - 1, Math.ceil((i * sorted.length) / classes) - 1)]!;
    if (uppers.length === 0 || upper > uppers[uppers.length - 1]!) uppers.push(upper);
  }
  return uppers.map((upper, i) => [i === 0 ? 1 : uppers[i - 1]! + 1, upper]);
}

export function buildColorScale(values: number[]): ColorScale {
  const ranges = quantileRanges(values, PALETTE.length);
  // With fewer classes than colours, spread them over the palette so neighbours stay distinguishable.
  const colorIndex = (i: number) =>
    ranges.length === 1 ? 2 : Math.round((i * (PALETTE.length - 1)) / Math.max(1, ranges.length - 1));
  return ranges.map(([min, max], i) => ({ min, max, color: PALETTE[colorIndex(i)]! }));
}

export function colorFor(scale: ColorScale, count: number): string {
  if (count <= 0) return ZERO_COLOR;
  return scale.find((c) => count >= c.min && count <= c.max)?.color ?? scale[scale.length - 1]?.color ?? ZERO_COLOR;
}
