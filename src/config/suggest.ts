import { closest, distance } from "fastest-levenshtein";

/** ` (did you mean "x"?)` when one candidate is a plausible typo of `word`, else "". */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const best = suggest(word, candidates);
  return best === undefined ? "" : ` (did you mean "${best}"?)`;
}

export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(word.toLowerCase(), candidates.map((c) => c.toLowerCase()));
  const index = candidates.findIndex((c) => c.toLowerCase() === best);
  const candidate = candidates[index];
  if (candidate === undefined) return undefined;
  // A typo: within a third of the longer word's length, and at least one edit allowed for short words.
  const limit = Math.max(1, Math.floor(Math.max(word.length, candidate.length) / 3));
  return typoDistance(word.toLowerCase(), candidate.toLowerCase()) <= limit ? candidate : undefined;
}

/** Levenshtein distance, except that two swapped letters ("rwa" for "raw") count as one typo, not two. */
function typoDistance(a: string, b: string): number {
  const d = distance(a, b);
  return d === 2 && a.length === b.length && [...a].sort().join("") === [...b].sort().join("") && swappedOnce(a, b) ? 1 : d;
}

function swappedOnce(a: string, b: string): boolean {
  const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === diff[0]! + 1;
}
