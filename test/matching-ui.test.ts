/**
 * The matching pages' own helpers: the step buttons a match page offers are exactly the steps the
 * pipeline allows (web/src/vocab.ts `nextMatchSteps` against matching.pipeline.ts, for every
 * pair), skills typed as one line become a clean list, and the way back after signing up accepts
 * only Kankei's own project pages (web/src/returnTo.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { MATCH_STEPS, matchTransitionProblem } from '../src/modules/matching/matching.pipeline';
import { forgetReturnTo, rememberReturnTo, returnToPath } from '../web/src/returnTo';
import { nextMatchSteps, splitSkills } from '../web/src/vocab';

describe('match step buttons', () => {
  it('offer exactly the steps the pipeline allows next, for every step', () => {
    for (const from of MATCH_STEPS) {
      const allowed = MATCH_STEPS.filter((to) => matchTransitionProblem(from, to) === null);
      expect(nextMatchSteps(from), from).toEqual(allowed);
    }
  });

  it('climb one rung or end, and offer nothing after self-running or ended', () => {
    expect(nextMatchSteps('proposed')).toEqual(['introduced', 'ended']);
    expect(nextMatchSteps('agreed')).toEqual(['collaborating', 'ended']);
    expect(nextMatchSteps('self_running')).toEqual([]);
    expect(nextMatchSteps('ended')).toEqual([]);
  });
});

describe('skills typed on one line', () => {
  it('split at commas, 読点 and new lines, trimmed, without empties or repeats', () => {
    expect(splitSkills(' EC、写真撮影, EC ,，会計\n\n')).toEqual(['EC', '写真撮影', '会計']);
    expect(splitSkills('')).toEqual([]);
  });
});

describe('the way back to a project after signing up', () => {
  const store = new Map<string, string>();
  beforeEach(() => {
    store.clear();
    globalThis.localStorage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
      clear: () => store.clear(),
      key: () => null,
      length: 0,
    } as Storage;
  });

  it('keeps a public project page and forgets it when asked', () => {
    const path = '/projects/0b6f9a3e-2c1d-4e8f-9a7b-5c4d3e2f1a0b';
    rememberReturnTo(path);
    expect(returnToPath()).toBe(path);
    forgetReturnTo();
    expect(returnToPath()).toBeNull();
  });

  it('never keeps another address, nor one written into storage by hand', () => {
    rememberReturnTo('https://elsewhere.example/projects/0b6f9a3e-2c1d-4e8f-9a7b-5c4d3e2f1a0b');
    rememberReturnTo('/me/deleted');
    expect(returnToPath()).toBeNull();
    store.set('kankei.returnTo', JSON.stringify({ path: '//elsewhere.example', at: Date.now() }));
    expect(returnToPath()).toBeNull();
  });

  it('lets a remembered page go after a day', () => {
    const path = '/projects/0b6f9a3e-2c1d-4e8f-9a7b-5c4d3e2f1a0b';
    store.set('kankei.returnTo', JSON.stringify({ path, at: Date.now() - 25 * 60 * 60 * 1000 }));
    expect(returnToPath()).toBeNull();
  });
});
