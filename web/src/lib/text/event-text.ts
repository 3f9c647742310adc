// One line that says what an event is about, for feeds. Pure.
import type { EventView } from '../model/event';
import { plural } from './format';
import { solutionDisplayName } from '@vigil/schema/constants';

function names(ids: readonly string[]): string {
  return ids.map(solutionDisplayName).join(', ');
}

export function eventSummary(event: Pick<EventView, 'kind' | 'details' | 'solutionIds'>): string {
  const { details } = event;
  switch (event.kind) {
    case 'test_failed':
    case 'test_recovered': {
      const tests = details.tests ?? [];
      const verb = event.kind === 'test_failed' ? 'failing' : 'passing again';
      const listed = tests.slice(0, 3).map((test) => `${solutionDisplayName(test.solutionId)}: ${test.testId}`);
      const more = tests.length > 3 ? ` and ${tests.length - 3} more` : '';
      return `${plural(tests.length, 'test')} ${verb}${listed.length ? ` (${listed.join('; ')}${more})` : ''}`;
    }
    case 'config_changed': {
      const changes = details.changes ?? [];
      return `${plural(changes.length, 'configuration field')} changed in ${names(event.solutionIds)}`;
    }
    case 'solution_added':
      return `Found ${names(details.solutions ?? event.solutionIds)}`;
    case 'solution_removed':
      return `No longer found: ${names(details.solutions ?? event.solutionIds)}`;
    case 'agent_offline':
      return details.missedIntervals !== undefined
        ? `Silent for ${plural(Math.floor(details.missedIntervals), 'reporting interval')}`
        : 'Stopped reporting';
    case 'agent_online':
      return 'Reporting again';
  }
}
