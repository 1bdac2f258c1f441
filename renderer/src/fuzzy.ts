// Search-as-you-type over saved jobs. Each word of the query must appear, in order but not
// necessarily together ("bkp nig" finds "Backup nightly"), in the job's name, tags, target or
// server. Matches at word starts and runs of adjacent letters score higher; the name counts most.
import type { SavedJob } from '../../app/shared/model.ts';

/** Score of `needle` as a subsequence of `haystack` (both lower case); null when it is not one. */
export function subsequenceScore(needle: string, haystack: string): number | null {
  if (needle.length === 0) return 0;
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const char of needle) {
    const at = haystack.indexOf(char, from);
    if (at < 0) return null;
    score += 1;
    if (at === previous + 1) score += 4;
    if (at === 0 || !/[\p{L}\p{N}]/u.test(haystack[at - 1] ?? '')) score += 6;
    score -= Math.min(3, (at - from) * 0.1);
    previous = at;
    from = at + 1;
  }
  return score;
}

interface SearchFields {
  name: string;
  rest: string;
}

// Lower-cased text per job, built once per job object (a save produces a new object).
const prepared = new WeakMap<SavedJob, SearchFields>();

function fieldsOf(job: SavedJob, serverName: string): SearchFields {
  let fields = prepared.get(job);
  if (!fields) {
    fields = {
      name: job.name.toLowerCase(),
      rest: [...job.tags, job.target.value, serverName].join(' ').toLowerCase(),
    };
    prepared.set(job, fields);
  }
  return fields;
}

export function jobScore(
  job: SavedJob,
  terms: readonly string[],
  serverName: string,
): number | null {
  const fields = fieldsOf(job, serverName);
  let total = 0;
  for (const term of terms) {
    const inName = subsequenceScore(term, fields.name);
    const inRest = subsequenceScore(term, fields.rest);
    if (inName === null && inRest === null) return null;
    total += Math.max(inName === null ? -Infinity : inName * 2, inRest ?? -Infinity);
  }
  return total;
}

export function searchTerms(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

/**
 * The jobs to list: those matching the query (and carrying the tag, when one is chosen),
 * favourites first, then the best matches, then the person's own order.
 */
export function filterJobs(
  jobs: readonly SavedJob[],
  query: string,
  tag: string | null,
  serverNames: ReadonlyMap<string, string>,
): SavedJob[] {
  const terms = searchTerms(query);
  const scored: { job: SavedJob; score: number }[] = [];
  for (const job of jobs) {
    if (tag !== null && !job.tags.includes(tag)) continue;
    const score =
      terms.length === 0 ? 0 : jobScore(job, terms, serverNames.get(job.serverId) ?? '');
    if (score !== null) scored.push({ job, score });
  }
  scored.sort(
    (a, b) =>
      Number(b.job.favourite) - Number(a.job.favourite) ||
      b.score - a.score ||
      a.job.order - b.job.order,
  );
  return scored.map((entry) => entry.job);
}
