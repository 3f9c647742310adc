// Every event kind, with how the dashboard and the emails show it. Adding a kind is a row here (the
// compiler then asks for its label, heading, colours and default notification), its handler in
// functions/, and its copy text; firestore.rules lists the kinds by name (rules-constants.test.ts).
export const EVENT_KINDS = [
  'test_failed',
  'test_recovered',
  'config_changed',
  'solution_added',
  'solution_removed',
  'agent_offline',
  'agent_online',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** One event's kind, as the dashboard's badges and filters name it. */
export const EVENT_KIND_LABELS: Record<EventKind, string> = {
  test_failed: 'Test failed',
  test_recovered: 'Test recovered',
  config_changed: 'Configuration changed',
  solution_added: 'Solution added',
  solution_removed: 'Solution removed',
  agent_offline: 'Agent offline',
  agent_online: 'Agent back online',
};

/** A group of events of one kind, as the digest and summary emails head it. */
export const EVENT_KIND_HEADINGS: Record<EventKind, string> = {
  test_failed: 'Tests failing',
  test_recovered: 'Tests recovered',
  config_changed: 'Configuration changed',
  solution_added: 'Solutions added',
  solution_removed: 'Solutions removed',
  agent_offline: 'Went offline',
  agent_online: 'Back online',
};

/** Chakra color palettes of the dashboard; every kind's meaning is also in its text, never in color alone. */
export const EVENT_KIND_PALETTES: Record<EventKind, string> = {
  test_failed: 'red',
  test_recovered: 'green',
  config_changed: 'orange',
  solution_added: 'blue',
  solution_removed: 'orange',
  agent_offline: 'red',
  agent_online: 'green',
};

/** The emails' accent per kind; mid-tone colours that read on light and dark backgrounds alike. */
export const EVENT_KIND_ACCENTS: Record<EventKind, string> = {
  test_failed: '#d93025',
  test_recovered: '#188038',
  config_changed: '#e37400',
  solution_added: '#1a73e8',
  solution_removed: '#e37400',
  agent_offline: '#d93025',
  agent_online: '#188038',
};

export function isEventKind(value: unknown): value is EventKind {
  return typeof value === 'string' && (EVENT_KINDS as readonly string[]).includes(value);
}
