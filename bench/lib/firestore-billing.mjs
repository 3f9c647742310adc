// What Firestore bills for one RPC, from its raw request and response messages (google.firestore.v1):
//   reads    a document returned by GetDocument, BatchGetDocuments (found or missing: a lookup bills
//            a read either way), RunQuery, ListDocuments, or delivered by Listen; at least one read
//            per query even when it finds nothing; a RunAggregationQuery bills one read per 1,000
//            index entries it matched (started), at least one; ListCollectionIds one.
//   writes   each write of a committed Commit, an accepted write of a BatchWrite, UpdateDocument,
//            CreateDocument (a write carrying only field transforms is a write too);
//   deletes  each delete of a committed Commit or accepted BatchWrite write, DeleteDocument.
// A failed Commit bills nothing (it is atomic); a failed read RPC is counted for what it returned.
// Each figure is also split by collection path (workspaces/agents/reports...), ids dropped. Pure.
import { field, fields, has, text } from './proto-wire.mjs';

const DOCUMENTS_MARKER = '/documents/';

/** `projects/p/databases/d/documents/workspaces/w/agents/a` -> `workspaces/agents` (the collections, ids dropped). */
export function collectionPath(name) {
  const at = name.indexOf(DOCUMENTS_MARKER);
  const rest = at < 0 ? '' : name.slice(at + DOCUMENTS_MARKER.length);
  if (rest === '') return '(root)';
  return rest
    .split('/')
    .filter((_, index) => index % 2 === 0)
    .join('/');
}

/** The document name inside a Write: its update's, its delete's or its transform's. */
function writeTarget(write) {
  for (const entry of fields(write)) {
    if (entry.field === 1) return { kind: 'write', name: text(field(entry.value, 1)[0]?.value) };
    if (entry.field === 2) return { kind: 'delete', name: text(entry.value) };
    if (entry.field === 6) return { kind: 'write', name: text(field(entry.value, 1)[0]?.value) };
  }
  return { kind: 'write', name: '' };
}

/** The collection a RunQuery or RunAggregationQuery request reads: parent + the query's `from`. */
function queryTarget(request, aggregation) {
  const [parent] = field(request, 1);
  const [structured] = field(request, 2);
  let query = structured?.value;
  if (aggregation && query) query = field(query, 1)[0]?.value;
  const [from] = query ? field(query, 2) : [];
  const collectionId = from ? text(field(from.value, 2)[0]?.value) : '';
  const allDescendants = from ? field(from.value, 3)[0]?.value === 1 : false;
  const base = collectionPath(`${text(parent?.value)}/${collectionId}/x`);
  return allDescendants ? `${collectionId} (group)` : base;
}

/** The largest integer among an aggregation result's fields: the count() a query matched. */
function aggregatedEntries(response) {
  let largest = 0;
  for (const result of field(response, 1)) {
    for (const entry of field(result.value, 2)) {
      const [value] = field(entry.value, 2);
      const [integer] = value ? field(value.value, 2) : [];
      if (typeof integer?.value === 'number') largest = Math.max(largest, integer.value);
    }
  }
  return largest;
}

function tally() {
  return { reads: 0, writes: 0, deletes: 0, byCollection: {} };
}

function add(bill, kind, collection, by = 1) {
  bill[kind] += by;
  const row = (bill.byCollection[collection] ??= { reads: 0, writes: 0, deletes: 0 });
  row[kind] += by;
}

/**
 * @param {string} method     the RPC's name (Commit, RunQuery, ...)
 * @param {Buffer[]} requests  the request messages (one for unary calls)
 * @param {Buffer[]} responses the response messages
 * @param {boolean} ok         whether the call ended with status OK
 */
export function billOf(method, requests, responses, ok) {
  const bill = tally();
  const [request] = requests;
  switch (method) {
    case 'GetDocument':
      // A lookup bills one read whether the document exists or not.
      add(bill, 'reads', collectionPath(text(field(request, 1)[0]?.value)));
      break;
    case 'BatchGetDocuments':
      for (const response of responses) {
        const [found] = field(response, 1);
        if (found) add(bill, 'reads', collectionPath(text(field(found.value, 1)[0]?.value)));
        const [missing] = field(response, 2);
        if (missing) add(bill, 'reads', collectionPath(text(missing.value)));
      }
      break;
    case 'RunQuery': {
      const target = queryTarget(request, false);
      const documents = responses.filter((response) => has(response, 1)).length;
      add(bill, 'reads', target, Math.max(1, documents));
      break;
    }
    case 'RunAggregationQuery': {
      const entries = Math.max(0, ...responses.map(aggregatedEntries));
      add(bill, 'reads', `${queryTarget(request, true)} (count)`, Math.max(1, Math.ceil(entries / 1000)));
      break;
    }
    case 'ListDocuments': {
      const documents = responses.flatMap((response) => field(response, 1));
      const [parent] = field(request, 1);
      const [collectionId] = field(request, 2);
      add(bill, 'reads', collectionPath(`${text(parent?.value)}/${text(collectionId?.value)}/x`), Math.max(1, documents.length));
      break;
    }
    case 'ListCollectionIds':
      add(bill, 'reads', '(collection ids)');
      break;
    case 'Listen':
      for (const response of responses) {
        const [change] = field(response, 3);
        if (change) add(bill, 'reads', collectionPath(text(field(field(change.value, 1)[0]?.value ?? Buffer.alloc(0), 1)[0]?.value)));
      }
      break;
    case 'Commit':
      if (!ok) break;
      for (const write of field(request, 2)) {
        const { kind, name } = writeTarget(write.value);
        add(bill, kind === 'delete' ? 'deletes' : 'writes', collectionPath(name));
      }
      break;
    case 'BatchWrite': {
      const statuses = responses.flatMap((response) => field(response, 2).map((status) => field(status.value, 1)[0]?.value ?? 0));
      field(request, 2).forEach((write, index) => {
        if (!ok || (statuses[index] ?? 0) !== 0) return;
        const { kind, name } = writeTarget(write.value);
        add(bill, kind === 'delete' ? 'deletes' : 'writes', collectionPath(name));
      });
      break;
    }
    case 'Write':
      // The streaming write RPC: every write sent after the handshake, acknowledged or not.
      for (const message of requests) {
        for (const write of field(message, 3)) {
          const { kind, name } = writeTarget(write.value);
          add(bill, kind === 'delete' ? 'deletes' : 'writes', collectionPath(name));
        }
      }
      break;
    case 'UpdateDocument':
      if (ok) add(bill, 'writes', collectionPath(text(field(field(request, 1)[0]?.value ?? Buffer.alloc(0), 1)[0]?.value)));
      break;
    case 'CreateDocument':
      if (ok) add(bill, 'writes', collectionPath(`${text(field(request, 1)[0]?.value)}/${text(field(request, 2)[0]?.value)}/x`));
      break;
    case 'DeleteDocument':
      if (ok) add(bill, 'deletes', collectionPath(text(field(request, 1)[0]?.value)));
      break;
    default:
      // BeginTransaction, Rollback, PartitionQuery and anything newer bill no document operations
      // here; the proxy still counts the RPC by name, so a new method shows up in the output.
      break;
  }
  return bill;
}
