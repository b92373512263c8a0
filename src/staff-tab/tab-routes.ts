/**
 * The staff tab's API, behind Teams single sign-on: every request carries the tab's Entra ID
 * token (`Authorization: Bearer`), checked by `EntraTokenVerifier`, and its bearer must be on the
 * same staff roster as the card actions. Anything else gets an empty 401 (no valid token) or 403
 * (a valid token for someone who is not staff), and nothing is read or changed. Nothing personal
 * travels in a URL.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'restify';
import { z } from 'zod';
import type { Case, StoredCase } from '../cases/case.js';
import { type CaseStore, updateCase } from '../cases/case-store.js';
import { readContactDetails } from '../cases/contact-details.js';
import { contactDetailsOf } from '../cases/indexing.js';
import { type CaseReference, findReference, parseReference, type ReferenceProblem } from '../cases/reference.js';
import { normaliseSecondFactor } from '../cases/second-factor.js';
import { viewed, viewKey } from '../cases/transitions/viewed.js';
import { guarded } from '../http/guarded.js';
import { HttpRefusal, readJson, sendEmpty, sendJson } from '../http/responses.js';
import { applyStaffAction, NOT_DONE, toneOf } from '../teams/apply-staff-action.js';
import { isChanging, staffActionSchema } from '../teams/staff-actions.js';
import { type CaseInFull, caseInFull } from './case-in-full.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { StaffRoster } from '../ports/staff-roster.js';
import type { EscalationPolicy } from '../policy/index.js';
import type { StaffMember } from '../teams/staff-access.js';
import type { DevSignIn } from './dev-sign-in.js';
import { type EntraTokenVerifier, TabTokenRefused } from './entra-token.js';
import { type QueueQuery, queuePage, queueQuerySchema, type QueueRow, queueRow, queueRows } from './queue.js';
import { csv, type Figures, figuresCsv, figuresFor, periodOf } from './figures.js';
import { addDays, startOfDayInZone } from '../policy/index.js';

export interface TabDeps {
  readonly verifier: Pick<EntraTokenVerifier, 'verify'>;
  readonly roster: StaffRoster;
  readonly cases: CaseStore;
  readonly policy: EscalationPolicy;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The organisation's name, as the complainant is told it (for the transitions' words). */
  readonly organisation: string;
  readonly cutOff?: string;
  /** The largest request body accepted. */
  readonly maxBodyBytes: number;
  /** Local development without single sign-on: signing in as one of the staff (see dev-sign-in.ts). */
  readonly devSignIn?: Pick<DevSignIn, 'staff' | 'tokenFor'>;
}

/** What the search box sends: a reference, an email or a phone number (in the body: never in a URL). */
const searchSchema = z.object({ text: z.string().max(400) });

/** A decision from the tab: the card's verb and inputs, and an id the tab makes for this one press. */
const actionRequestSchema = z.object({
  verb: z.string().max(40),
  inputs: z.record(z.string().max(40), z.string().max(30_000)).default({}),
  state: z.string().max(64),
  requestId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
});

/** The bearer token of a request, or null. */
function bearerOf(request: IncomingMessage): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1] ?? null;
}

/** A refusal answered with nothing but its status. */
class TabRefusal extends Error {
  override readonly name = 'TabRefusal';
  constructor(readonly status: 401 | 403) {
    super(`The staff tab refused a request (${String(status)})`);
  }
}

/** The member of staff a request comes from; throws `TabRefusal`. */
async function staffOf(request: IncomingMessage, deps: TabDeps, log: Logger): Promise<StaffMember> {
  let identity;
  try {
    identity = await deps.verifier.verify(bearerOf(request));
  } catch (error) {
    if (!(error instanceof TabTokenRefused)) throw error;
    log.warn('tab.refused', { reason: error.reason });
    throw new TabRefusal(401);
  }
  const member = (await deps.roster.members()).find((each) => each.id === identity.oid);
  if (!member) {
    log.warn('tab.refused', { reason: 'not-staff' });
    throw new TabRefusal(403);
  }
  return { id: member.id, name: member.name ?? identity.name ?? 'A member of staff' };
}

/** The cases a view's index gives, read (the view's own rules then choose among them). */
async function candidates(query: QueueQuery, staff: StaffMember, deps: TabDeps): Promise<Case[]> {
  const now = deps.clock.now();
  const { cases } = deps;
  let references: CaseReference[];
  switch (query.view) {
    case 'unassigned':
      references = await cases.listByHandler(null);
      break;
    case 'mine':
      references = await cases.listByHandler(staff.id);
      break;
    case 'overdue':
      references = (await cases.dueBetween(new Date(0), now)).map((due) => due.reference);
      break;
    case 'due':
      // Working days are at most calendar days; a fortnight of holidays on top covers any run of them.
      references = (await cases.dueBetween(new Date(0), new Date(now.getTime() + (query.days * 2 + 14) * 86_400_000))).map((due) => due.reference);
      break;
    default: {
      const lists = await Promise.all(
        (['open', 'awaiting-response', 'escalation-requested', 'responded'] as const).map((status) => cases.listByStatus(status)),
      );
      references = lists.flat();
    }
  }
  const read = await Promise.all([...new Set(references)].map((reference) => cases.get(reference)));
  return read.flatMap((stored) => (stored ? [stored.case] : []));
}

/** A request's query string. */
function searchParamsOf(request: IncomingMessage): URLSearchParams {
  return new URL(request.url ?? '/', 'http://tab').searchParams;
}

/** The figures a request asks for: a period (two dates) and a procedure. */
async function figuresAsked(request: IncomingMessage, deps: TabDeps): Promise<Figures> {
  const params = searchParamsOf(request);
  const period = periodOf(params.get('from') ?? '', params.get('to') ?? '');
  const procedure = params.get('procedure') ?? '';
  if (!period || !deps.policy.procedures().some((each) => each.id === procedure)) {
    throw new HttpRefusal(400, 'BadRequest', 'Ask for figures with a procedure and a period: two dates, the first not after the second');
  }
  const zone = deps.policy.calendar.timeZone;
  const references = await deps.cases.lodgedBetween(startOfDayInZone(period.from, zone), startOfDayInZone(addDays(period.to, 1), zone), {
    limit: FIGURES_LIMIT,
  });
  const read = await Promise.all(references.map((reference) => deps.cases.get(reference)));
  return figuresFor(
    read.flatMap((stored) => (stored ? [stored.case] : [])),
    { from: period.from, to: period.to, procedure },
    deps.policy,
    deps.clock.now(),
  );
}

/** The most cases one period's figures read (a large council's year). */
const FIGURES_LIMIT = 200_000;

/** The case a request's path names; 404 when there is none. */
async function caseNamed(request: { params?: Record<string, string> }, deps: TabDeps): Promise<StoredCase> {
  const parsed = parseReference(request.params?.['reference'] ?? '');
  const stored = parsed.ok ? await deps.cases.get(parsed.reference) : null;
  if (!stored) throw new HttpRefusal(404, 'NotFound', 'There is no case with that reference');
  return stored;
}

async function colleagueOf(id: string, deps: TabDeps): Promise<StaffMember | 'unnamed' | null> {
  const member = (await deps.roster.members()).find((each) => each.id === id.toLowerCase());
  if (!member) return null;
  return member.name ? { id: member.id, name: member.name } : 'unnamed';
}

async function fullView(stored: StoredCase, deps: TabDeps): Promise<CaseInFull> {
  const colleagues = (await deps.roster.members()).flatMap((member) => (member.name ? [{ id: member.id, name: member.name }] : []));
  return caseInFull(stored.case, await deps.cases.history(stored.case.reference), deps.policy, deps.clock.now(), colleagues);
}

/**
 * A search: a reference (a typo caught by its check character is said as such), or an email or
 * phone number through the keyed-hash contact index, never a scan of anyone's details.
 */
async function search(text: string, _staff: StaffMember, deps: TabDeps): Promise<{ readonly rows: readonly QueueRow[]; readonly problem: string | null }> {
  const now = deps.clock.now();
  const contact = readContactDetails(text);
  if (contact.email === null && contact.phone === null) {
    const reference = findReference(text);
    if (!reference.ok) return { rows: [], problem: REFERENCE_PROBLEMS[reference.problem] };
    const stored = await deps.cases.get(reference.reference);
    return { rows: stored ? [queueRow(stored.case, deps.policy, now)] : [], problem: stored ? null : 'No case has that reference.' };
  }
  const detail = contact.email ?? contact.phone ?? '';
  const wanted = normaliseSecondFactor(detail);
  const found = await Promise.all((await deps.cases.findByContact(detail)).map((reference) => deps.cases.get(reference)));
  const rows = found.flatMap((stored) =>
    stored && contactDetailsOf(stored.case).some((held) => normaliseSecondFactor(held) === wanted) ? [queueRow(stored.case, deps.policy, now)] : [],
  );
  return { rows, problem: rows.length === 0 ? 'No case holds that email address or phone number.' : null };
}

const REFERENCE_PROBLEMS: Readonly<Record<ReferenceProblem, string>> = {
  empty: 'Type a case reference, an email address or a phone number.',
  length: 'A case reference has 9 letters and numbers, like K7M-4QX-P2H.',
  characters: 'A case reference uses only the letters and numbers on the complainant’s confirmation.',
  check: 'That reference has a typing mistake somewhere: its last character does not match the rest. Check it against the complainant’s confirmation.',
};

/** Registers the tab's API on the server. */
export function registerTabRoutes(server: Server, deps: TabDeps): void {
  const dev = deps.devSignIn;
  if (dev) {
    // Local development only (loopback, no single sign-on configured): who may be signed in as, and a token for one of them.
    server.get(
      '/api/tab/dev/staff',
      guarded(deps.logger, 'tab/dev-staff', async (_request, response) => {
        sendJson(response, 200, await dev.staff());
      }),
    );
    server.post(
      '/api/tab/dev/token',
      guarded(deps.logger, 'tab/dev-token', async (request, response) => {
        const body = z.object({ id: z.string().max(100) }).safeParse(await readJson(request, deps.maxBodyBytes));
        const token = body.success ? await dev.tokenFor(body.data.id) : null;
        if (!token) throw new HttpRefusal(403, 'NotStaff', 'That is not one of the configured staff');
        sendJson(response, 200, { token });
      }),
    );
  }
  /** A route only staff may use: the request's token checked first, and an empty 401 or 403 for anyone else. */
  const authorised = (
    name: string,
    handler: (request: IncomingMessage & { params?: Record<string, string> }, response: ServerResponse, staff: StaffMember, log: Logger) => Promise<void>,
  ) =>
    guarded(deps.logger, name, async (request, response, log) => {
      let staff: StaffMember;
      try {
        staff = await staffOf(request, deps, log);
      } catch (error) {
        if (!(error instanceof TabRefusal)) throw error;
        sendEmpty(response, error.status, error.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {});
        return;
      }
      await handler(request, response, staff, log);
    });
  const route = (
    name: string,
    handler: (request: IncomingMessage & { params?: Record<string, string> }, staff: StaffMember, log: Logger) => Promise<unknown>,
  ) =>
    authorised(name, async (request, response, staff, log) => {
      sendJson(response, 200, await handler(request, staff, log));
    });
  const csvRoute = (name: string, handler: (request: IncomingMessage, staff: StaffMember) => Promise<{ readonly name: string; readonly body: string }>) =>
    authorised(name, async (request, response, staff) => {
      const file = await handler(request, staff);
      response.writeHead(200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${file.name}"`,
        'Content-Length': String(Buffer.byteLength(file.body)),
        'Cache-Control': 'no-store',
      });
      response.end(file.body);
    });

  server.get(
    '/api/tab/me',
    route('tab/me', (_request, staff) =>
      Promise.resolve({
        id: staff.id,
        name: staff.name,
        procedures: deps.policy.procedures().map((procedure) => ({ id: procedure.id, name: procedure.name })),
      }),
    ),
  );
  server.get(
    '/api/tab/figures',
    route('tab/figures', async (request) => figuresAsked(request, deps)),
  );
  // CSV downloads: the tab fetches them with its token (never a link with one in it) and saves the file.
  server.get(
    '/api/tab/figures.csv',
    csvRoute('tab/figures-csv', async (request) => ({ name: 'complaint-figures.csv', body: figuresCsv(await figuresAsked(request, deps)) })),
  );
  server.get(
    '/api/tab/queue.csv',
    csvRoute('tab/queue-csv', async (request, staff) => {
      const query = queueQuerySchema.safeParse({ ...Object.fromEntries(searchParamsOf(request)), page: 1 });
      if (!query.success) throw new HttpRefusal(400, 'BadRequest', 'That is not a view of the queue this tab knows');
      const rows = queueRows(await candidates(query.data, staff, deps), query.data, staff.id, deps.policy, deps.clock.now());
      return {
        name: `complaints-${query.data.view}.csv`,
        body: csv([
          ['reference', 'procedure', 'stage', 'status', 'handler', 'due', 'working days left', 'overdue', 'flags'],
          ...rows.map((row) => [
            row.reference,
            row.procedureName,
            row.stageName,
            row.statusWords,
            row.handler,
            row.due,
            row.workingDaysLeft,
            row.overdue ? 'yes' : 'no',
            row.flags.join('; '),
          ]),
        ]),
      };
    }),
  );
  server.post(
    '/api/tab/search',
    route('tab/search', async (request, staff) => {
      const body = searchSchema.safeParse(await readJson(request, deps.maxBodyBytes));
      if (!body.success) throw new HttpRefusal(400, 'BadRequest', 'Search with a reference, an email address or a phone number');
      return search(body.data.text, staff, deps);
    }),
  );
  server.get(
    '/api/tab/cases/:reference',
    route('tab/case', async (request, staff) => {
      const stored = await caseNamed(request, deps);
      const now = deps.clock.now();
      // Opening a case in full is part of its record, as on the card (best effort: a view not recorded must not keep staff from it).
      await updateCase(deps.cases, stored.case.reference, viewKey(staff.id, now), (current) => viewed(current.case, { now, staff })).catch((error: unknown) => {
        deps.logger.warn('tab.view-unrecorded', { error: error instanceof Error ? error.name : 'unknown' });
      });
      return fullView((await deps.cases.get(stored.case.reference)) ?? stored, deps);
    }),
  );
  server.post(
    '/api/tab/cases/:reference/actions',
    route('tab/action', async (request, staff, log) => {
      const stored = await caseNamed(request, deps);
      const body = actionRequestSchema.safeParse(await readJson(request, deps.maxBodyBytes));
      if (!body.success) throw new HttpRefusal(400, 'BadRequest', 'That action could not be read, so nothing was changed');
      const parsed = staffActionSchema.safeParse({ ...body.data.inputs, verb: body.data.verb, reference: stored.case.reference, state: body.data.state });
      if (!parsed.success || !isChanging(parsed.data))
        throw new HttpRefusal(400, 'BadRequest', 'That is not an action the tab can take, so nothing was changed');
      const action = parsed.data;
      const colleague = action.verb === 'assign-to' ? await colleagueOf(action.who, deps) : undefined;
      const context = { policy: deps.policy, now: deps.clock.now(), staff, organisation: deps.organisation, ...(deps.cutOff ? { cutOff: deps.cutOff } : {}) };
      const applied = await applyStaffAction(deps.cases, stored, action, { ...context, colleague }, `tab:${body.data.requestId}:${action.verb}`);
      if (applied.kind === 'done') log.info('tab.acted', { verb: action.verb });
      const text = applied.kind === 'done' ? applied.outcome.done : applied.kind === 'refused' ? applied.explanation : NOT_DONE[applied.kind];
      return { notice: { tone: toneOf(applied), text }, case: await fullView(applied.latest, deps) };
    }),
  );
  server.get(
    '/api/tab/queue',
    route('tab/queue', async (request, staff) => {
      const query = queueQuerySchema.safeParse(Object.fromEntries(searchParamsOf(request)));
      if (!query.success) throw new HttpRefusal(400, 'BadRequest', 'That is not a view of the queue this tab knows');
      return queuePage(await candidates(query.data, staff, deps), query.data, staff.id, deps.policy, deps.clock.now());
    }),
  );
}
