/** "1 event", "3 events": the count with its noun, for dashboard, emails and agent alike. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
