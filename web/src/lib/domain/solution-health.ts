// A solution's health in one word, from its latest state. Pure.
import type { SolutionState } from '@vigil/schema';
import { ownValue, SOLUTION_CATALOG } from '@vigil/schema/constants';

export type Health = 'healthy' | 'failing' | 'errors' | 'no-tests';

export function solutionHealth(solution: Pick<SolutionState, 'tests' | 'errors'>): Health {
  if (solution.tests.some((test) => !test.passed)) return 'failing';
  if (solution.errors.length > 0) return 'errors';
  if (solution.tests.length === 0) return 'no-tests';
  return 'healthy';
}

/** Failing first, then by name: what needs a look comes first. */
export function sortSolutionIds(solutions: Record<string, Pick<SolutionState, 'tests' | 'errors'>>, name: (id: string) => string): string[] {
  const rank: Record<Health, number> = { failing: 0, errors: 1, 'no-tests': 2, healthy: 3 };
  return Object.keys(solutions).sort(
    (a, b) => rank[solutionHealth(solutions[a]!)] - rank[solutionHealth(solutions[b]!)] || name(a).localeCompare(name(b)),
  );
}

/** The catalog's category of a solution id (from the URL or a report); undefined when it is not in the catalog. */
export function solutionCategory(id: string): string | undefined {
  return ownValue(SOLUTION_CATALOG as Record<string, { category: string }>, id)?.category;
}
