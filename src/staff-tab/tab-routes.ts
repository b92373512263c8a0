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
import type { StoredCase } from '../cases/case.js';
import { type CaseStore, updateCase } from '../cases/case-store.js';
import { readContactDetails } from '../cases/contact-details.js';
import { contactDetailsOf } from '../cases/indexing.js';
import { findReference, parseReference, type ReferenceProblem } from '../cases/reference.js';
import { normaliseSecondFactor } from '../cases/second-factor.js';
import { viewed, viewKey } from '../cases/transitions/viewed.js';
import { guarded } from '../http/guarded.js';
import { HttpRefusal, readJson, sendEmpty, sendJson } from '../http/responses.js';
import { messageFromStaff } from '../cases/transitions/staff-message.js';
import { applyRightsAction, RIGHTS_NOT_DONE } from '../teams/apply-rights-action.js';
import { applyStaffAction, NOT_DONE, toneOf } from '../teams/apply-staff-action.js';
import type { StaffRights } from '../teams/staff-bot.js';
import { isChanging, isRightsAction, staffActionSchema } from '../teams/staff-actions.js';
import { type CaseInFull, caseInFull } from './case-in-full.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { StaffRoster } from '../ports/staff-roster.js';
import type { EscalationPolicy } from '../policy/index.js';
import type { StaffMember } from '../teams/staff-access.js';
import type { DevSignIn } from './dev-sign-in.js';
import { type EntraTokenVerifier, TabTokenRefused } from './entra-token.js';
import { queueQuerySchema, type QueueRow, queueRow } from './queue.js';
import { readQueuePage, readQueueRows } from './queue-reader.js';
import { csv, type Figures, figuresCsv, periodOf } from './figures.js';
import { readFigures } from './figures-reader.js';

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
  /** The rights actions (subject access, correction, erasure), as the card has them; none: the tab does not offer them. */
  readonly rights?: StaffRights;
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

/** What the tab shows above a case after an action. */
interface TabNotice {
  readonly tone: 'good' | 'warning' | 'attention';
  readonly text: string;
}

const EXPORT_LINK_NOTICE =
  'The subject access export is ready behind a one-time link, valid for 10 minutes: open it from here, ' +
  'check what is marked for a check before release, then send it on.';

/**
 * A message to the complainant written in the tab: sent at once (the tab asks its writer to
 * confirm first, where a reply in the thread is held with Undo), and announced in the case's
 * thread so that the thread stays the whole story. Named by the press, so a repeat sends once.
 */
async function replyFromTab(stored: StoredCase, text: string, staff: StaffMember, key: string, deps: TabDeps, log: Logger): Promise<TabNotice> {
  const now = deps.clock.now();
  const result = await updateCase(deps.cases, stored.case.reference, key, (current) => messageFromStaff(current.case, { text, from: 'tab' }, { now, staff }));
  if (!result) return { tone: 'warning', text: 'This case’s personal data were erased, so there is nobody to write to. Nothing was sent.' };
  if (result.applied) log.info('tab.acted', { verb: 'reply' });
  return {
    tone: 'good',
    text: result.applied
      ? 'Sent to the complainant. Their chat shows it (or keeps it for their next visit), and the case’s thread says whether they have seen it.'
      : 'That message was sent already.',
  };
}

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
  return readFigures(deps.cases, deps.policy, deps.clock.now(), { from: period.from, to: period.to, procedure });
}

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
  return caseInFull(stored.case, await deps.cases.history(stored.case.reference), deps.policy, deps.clock.now(), colleagues, {
    rights: deps.rights !== undefined,
  });
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
      const rows = await readQueueRows(query.data, staff.id, { cases: deps.cases, policy: deps.policy, now: deps.clock.now() });
      return {
        name: `complaints-${query.data.view}.csv`,
        body: csv([
          ['reference', 'procedure', 'stage', 'status', 'handler', 'owed', 'due', 'working days left', 'overdue', 'flags'],
          ...rows.map((row) => [
            row.reference,
            row.procedureName,
            row.stageName,
            row.statusWords,
            row.handler,
            row.owed,
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
      if (!parsed.success) throw new HttpRefusal(400, 'BadRequest', 'That is not an action the tab can take, so nothing was changed');
      const action = parsed.data;
      const press = `tab:${body.data.requestId}`;
      const answered = async (notice: TabNotice, extra: { readonly exportLink?: string } = {}) => ({
        notice,
        case: await fullView((await deps.cases.get(stored.case.reference)) ?? stored, deps),
        ...extra,
      });
      if (action.verb === 'reply') return answered(await replyFromTab(stored, action.text, staff, `${press}:reply`, deps, log));
      if (isRightsAction(action)) {
        const result = await applyRightsAction(deps.rights, stored, action, staff, 'tab', press);
        if (result.kind !== 'stale' && result.kind !== 'not-set-up' && result.kind !== 'refused') log.info('tab.acted', { verb: action.verb });
        switch (result.kind) {
          case 'export-link':
            return answered({ tone: 'good', text: EXPORT_LINK_NOTICE }, { exportLink: result.url });
          case 'done':
            return answered({ tone: 'good', text: result.text });
          case 'refused':
            return answered({ tone: 'attention', text: result.text });
          default:
            return answered({ tone: 'warning', text: RIGHTS_NOT_DONE[result.kind] });
        }
      }
      if (!isChanging(action)) throw new HttpRefusal(400, 'BadRequest', 'That is not an action the tab can take, so nothing was changed');
      const colleague = action.verb === 'assign-to' ? await colleagueOf(action.who, deps) : undefined;
      const context = { policy: deps.policy, now: deps.clock.now(), staff, organisation: deps.organisation, ...(deps.cutOff ? { cutOff: deps.cutOff } : {}) };
      const applied = await applyStaffAction(deps.cases, stored, action, { ...context, colleague }, `${press}:${action.verb}`);
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
      return readQueuePage(query.data, staff.id, { cases: deps.cases, policy: deps.policy, now: deps.clock.now() });
    }),
  );
}
