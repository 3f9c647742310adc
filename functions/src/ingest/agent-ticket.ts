// The agent ticket: the cache entry ingest keeps for an agent (agent-cache.ts: the agent document's
// ingest fields as of its update time), handed to the agent with each reply and sent back with its
// next report (AGENT_TICKET_HEADER), so an instance that has not seen the agent since it last
// changed needs no read. An agent's reports spread over every ingest instance, and each instance's
// cached copy is current only when the agent's last report reached that same instance.
//
// Trust: the ticket is authenticated with HMAC-SHA-256 under the key's `ticketSecret`
// (agentKeys/{keyId}, which no client can read) and bound to the key id, workspace and agent, so
// only ingest can make one and it is good for that key alone. It is never trusted beyond what the
// cache is: ingest's agent write stays conditional on the ticket's update time, so a ticket made
// stale by anything (a revocation, a rotation, another report, the offline detector, settings)
// fails the write and ingest reads the agent, exactly as a stale cache entry does (a deferred
// report, deferred-write.ts, writes nothing, so a stale ticket is found out at the next report
// that writes: see docs/architecture.md, "Deferred agent writes"). Anything wrong
// with a ticket (forged, another key's, damaged, too large, an older format) makes it no ticket.
//
// Format: `v2.<payload>.<mac>`, both base64url; the payload is the raw-deflated JSON
// `{u: [seconds, nanoseconds], t: {field: [s, ns]}, n: {field: {name: [s, ns]}}, d: {field: value}}`:
// the update time, the top-level Timestamp fields, the Timestamps one level down (a pending key
// rotation's requestedAt and fetchedAt: agents/key-rotation.ts), and the rest of the ingest fields
// as JSON. v1 had no `n`, so a rotation in progress made no ticket and cost a read per report; a v1
// ticket is no ticket now (one read per agent after the upgrade), and an instance still on v1 takes
// a v2 one for none rather than read a rotation without its times. An agent whose fields hold
// anything else JSON cannot carry exactly (a Timestamp deeper down, a non-finite number, a class
// instance) gets no ticket. Pure apart from the clock-free crypto.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { LIMITS, MAX_TICKET_CHARS, ingestAgentSchema, type IngestAgent } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import type { CachedAgent, CachedKey } from './agent-cache.js';

const VERSION = 'v2';
const INGEST_FIELDS = Object.keys(ingestAgentSchema.shape);
/** A ticket's JSON is at most a few times the agent document, itself bounded by agentDocumentBytes. */
const MAX_INFLATED_BYTES = 4 * LIMITS.agentDocumentBytes;
const TICKET_SHAPE = /^v2\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

type Seconds = [number, number];

interface TicketBody {
  u: Seconds;
  t: Record<string, Seconds>;
  n: Record<string, Record<string, Seconds>>;
  d: Record<string, unknown>;
}

/** A new key's ticket secret: 32 random bytes, base64url (agentKeySchema.ticketSecret). */
export function newTicketSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** True when JSON carries the value exactly: plain objects, arrays, strings, booleans, null, finite numbers. */
function jsonExact(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(jsonExact);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).every(jsonExact);
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** A map whose values are Timestamps or carried exactly by JSON, split in two; undefined for anything else. */
function splitTimes(value: unknown): { times: Record<string, Seconds>; rest: Record<string, unknown> } | undefined {
  if (!isPlainObject(value)) return undefined;
  const times: [string, Seconds][] = [];
  const rest: [string, unknown][] = [];
  for (const [name, part] of Object.entries(value)) {
    if (part instanceof Timestamp) times.push([name, [part.seconds, part.nanoseconds]]);
    else if (jsonExact(part)) rest.push([name, part]);
    else return undefined;
  }
  // Own entries into fresh objects: the names are data.
  return { times: Object.fromEntries(times), rest: Object.fromEntries(rest) };
}

function mac(secret: string, keyId: string, key: CachedKey, payload: string): Buffer {
  // Every binding in the signed text, separated by a character none of them can hold.
  return createHmac('sha256', Buffer.from(secret, 'base64url')).update(`${VERSION}.${keyId}.${key.workspaceId}.${key.agentId}.${payload}`).digest();
}

/** The ticket for `entry` (what the cache would keep), or undefined when it cannot carry it exactly or is too large. */
export function issueTicket(secret: string, keyId: string, entry: CachedAgent): string | undefined {
  const body: TicketBody = { u: [entry.updateTime.seconds, entry.updateTime.nanoseconds], t: {}, n: {}, d: {} };
  for (const field of INGEST_FIELDS) {
    if (!Object.hasOwn(entry.agent, field)) continue;
    const value: unknown = entry.agent[field as keyof IngestAgent];
    if (value === undefined) continue;
    if (value instanceof Timestamp) body.t[field] = [value.seconds, value.nanoseconds];
    else if (jsonExact(value)) body.d[field] = value;
    else {
      const split = splitTimes(value);
      if (!split) return undefined;
      body.n[field] = split.times;
      body.d[field] = split.rest;
    }
  }
  const payload = deflateRawSync(JSON.stringify(body)).toString('base64url');
  const ticket = `${VERSION}.${payload}.${mac(secret, keyId, entry, payload).toString('base64url')}`;
  return ticket.length <= MAX_TICKET_CHARS ? ticket : undefined;
}

function isSeconds(value: unknown): value is Seconds {
  return Array.isArray(value) && value.length === 2 && value.every((part) => Number.isSafeInteger(part));
}

/**
 * The cache entry a ticket carries, for this key (its hash, workspace and agent), or undefined for
 * anything but a ticket ingest issued for this key id with this secret. The MAC is checked before
 * anything is inflated or parsed.
 */
export function readTicket(secret: string, keyId: string, key: CachedKey, ticket: string | undefined): CachedAgent | undefined {
  if (!ticket || ticket.length > MAX_TICKET_CHARS) return undefined;
  const match = TICKET_SHAPE.exec(ticket);
  if (!match) return undefined;
  const [, payload, presented] = match as unknown as [string, string, string];
  const expected = mac(secret, keyId, key, payload);
  const given = Buffer.from(presented, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const body = JSON.parse(
      inflateRawSync(Buffer.from(payload, 'base64url'), { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8'),
    ) as TicketBody;
    if (!isSeconds(body.u) || !isPlainObject(body.t) || !isPlainObject(body.n) || !isPlainObject(body.d)) return undefined;
    const timestamp = (value: unknown) => {
      if (!isSeconds(value)) throw new Error('not a timestamp');
      return new Timestamp(value[0], value[1]);
    };
    const times = Object.entries(body.t).map(([field, value]) => [field, timestamp(value)] as const);
    const nested = Object.entries(body.n).map(([field, inner]) => {
      const rest = Object.hasOwn(body.d, field) ? body.d[field] : {};
      if (!isPlainObject(inner) || !isPlainObject(rest)) throw new Error('not a map');
      return [
        field,
        Object.fromEntries([...Object.entries(rest), ...Object.entries(inner).map(([name, value]) => [name, timestamp(value)])]),
      ] as const;
    });
    // Own entries only, into fresh objects: the ticket's field names are data.
    const parsed = ingestAgentSchema.safeParse(Object.fromEntries([...Object.entries(body.d), ...nested, ...times]));
    if (!parsed.success) return undefined;
    return {
      hash: key.hash,
      workspaceId: key.workspaceId,
      agentId: key.agentId,
      issuedAtMs: key.issuedAtMs,
      agent: parsed.data,
      updateTime: new Timestamp(body.u[0], body.u[1]),
    };
  } catch {
    // Only ingest's own output passes the MAC; this is a defence against a bug, never a path taken.
    return undefined;
  }
}
