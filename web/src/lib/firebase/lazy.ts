// The two on-demand halves of the dashboard's JavaScript: the Firestore data layer and the callables.
// Each helper loads the module and its SDK client together, in parallel.
import type { Firestore } from 'firebase/firestore';
import type { Functions } from 'firebase/functions';
import { getDb, getFunctionsClient } from './firebase';
import { markOnce } from '../telemetry/perf-mark';

type DataModule = typeof import('../data');
type CallablesModule = typeof import('./callables');

let dataModule: Promise<DataModule> | undefined;
let callablesModule: Promise<CallablesModule> | undefined;

const loadData = () => (dataModule ??= import('../data'));
const loadCallables = () => (callablesModule ??= import('./callables'));

/** Runs `use` with the data layer and the database. */
export async function withData<T>(use: (data: DataModule, db: Firestore) => T | Promise<T>): Promise<T> {
  const [data, db] = await Promise.all([loadData(), getDb()]);
  markOnce('vigil:data-layer');
  return use(data, db);
}

/** Runs `use` with the callables and the Functions client. */
export async function withCallables<T>(use: (callables: CallablesModule, functions: Functions) => T | Promise<T>): Promise<T> {
  const [callables, functions] = await Promise.all([loadCallables(), getFunctionsClient()]);
  return use(callables, functions);
}

/** Starts downloading the data layer and connecting Firestore before any component asks. */
export function prefetchData(): void {
  void withData(() => undefined).catch(() => undefined);
}
