/**
 * A subject access export (UK GDPR Art 15): everything the complaints service holds about a
 * person, from the cases found by their reference or their email or phone, as JSON (for another
 * system, or the ombudsman) and as a readable HTML document (for the person). It is a draft for
 * whoever releases it: staff notes and Teams discussion are included, marked for a check for
 * other people's information before release, as the ICO's guidance on third-party data asks.
 * Internal identifiers (Teams and chat ids, timeline keys) are left out: they say nothing about
 * the person. Pure: the cases and histories come in, the documents go out.
 */
import type { Case, CaseEvent, StoredCase } from '../cases/case.js';
import { formatReference } from '../cases/reference.js';

/** A case found for the person, with its history. */
export interface HeldCase {
  readonly stored: StoredCase;
  readonly history: readonly CaseEvent[];
}

/** How the person was found. */
export type FoundBy = 'reference' | 'email' | 'phone';

export interface SubjectAccessOptions {
  readonly organisation: string;
  readonly preparedAt: Date;
  readonly foundBy: FoundBy;
}

/** One history entry as the person reads it. */
interface ExportedEntry {
  readonly at: string;
  readonly what: string;
  readonly by: string;
  readonly words: string | null;
  /** Staff notes and discussion: to be checked for other people's information before release. */
  readonly checkBeforeRelease: boolean;
}

/** One case as exported. */
interface ExportedCase {
  readonly reference: string;
  /**
   * Made for someone else (a parent, an advocate): the case is about another person as much as
   * the one found, so the whole of it is to be checked before release (an advocate's email can
   * find every client's complaint).
   */
  readonly checkBeforeRelease: boolean;
  readonly procedure: string;
  readonly stage: string;
  readonly status: string;
  readonly lodgedAt: string;
  readonly erased: Case['erased'];
  readonly you: { readonly name: string; readonly relationshipToPersonAffected: string; readonly relationshipDetail: string | null };
  readonly personAffected: Case['personAffected'];
  readonly whatHappened: string;
  readonly whenItHappened: Case['when'];
  readonly outcomeWanted: string;
  readonly contact: Case['contact'];
  readonly adjustments: string | null;
  readonly advocacy: string;
  readonly consent: Case['consent'];
  readonly safeguardingNotes: readonly string[];
  readonly lateComplaint: Case['flags']['late'];
  readonly deadlines: readonly { readonly stage: string; readonly kind: string; readonly due: string; readonly rule: string }[];
  readonly responses: readonly { readonly stage: string; readonly at: string; readonly text: string; readonly by: string }[];
  readonly messagesWaitingForYou: readonly { readonly at: string; readonly text: string }[];
  readonly history: readonly ExportedEntry[];
}

/** The export as JSON. */
export interface SubjectAccessJson {
  readonly kind: 'subject-access-export';
  readonly organisation: string;
  readonly preparedAt: string;
  readonly foundBy: FoundBy;
  readonly cases: readonly ExportedCase[];
}

export interface SubjectAccessExport {
  readonly json: SubjectAccessJson;
  readonly html: string;
}

const CHECK_BEFORE_RELEASE: ReadonlySet<CaseEvent['type']> = new Set(['note', 'discussion']);

function byLine(actor: CaseEvent['actor']): string {
  if (actor.kind === 'complainant') return 'You';
  if (actor.kind === 'system') return 'The complaints service';
  return actor.name ?? 'A member of staff';
}

/** The words an entry carries, where it carries some. */
function wordsOf(event: CaseEvent): string | null {
  const { text, reason } = event.details;
  const parts = [typeof text === 'string' ? text : null, typeof reason === 'string' ? `Reason: ${reason}` : null].filter((part) => part !== null);
  return parts.length > 0 ? parts.join('\n') : null;
}

function exported(held: HeldCase): ExportedCase {
  const value = held.stored.case;
  return {
    reference: formatReference(value.reference),
    checkBeforeRelease: value.complainant.relationship !== 'self',
    procedure: value.procedure,
    stage: value.stage,
    status: value.status,
    lodgedAt: value.lodgedAt,
    erased: value.erased,
    you: {
      name: value.complainant.name,
      relationshipToPersonAffected: value.complainant.relationship,
      relationshipDetail: value.complainant.relationshipDetail,
    },
    personAffected: value.personAffected,
    whatHappened: value.whatHappened,
    whenItHappened: value.when,
    outcomeWanted: value.outcomeWanted,
    contact: value.contact,
    adjustments: value.needs.adjustments,
    advocacy: value.needs.advocacy,
    consent: value.consent,
    safeguardingNotes: value.flags.safeguarding?.notes ?? [],
    lateComplaint: value.flags.late,
    deadlines: value.deadlines.map((deadline) => ({ stage: deadline.stage, kind: deadline.kind, due: deadline.due, rule: deadline.rule })),
    responses: value.responses.map((response) => ({ stage: response.stage, at: response.at, text: response.text, by: byLine(response.by) })),
    messagesWaitingForYou: value.undelivered.map((message) => ({ at: message.at, text: message.text })),
    history: held.history.map((event) => ({
      at: event.at,
      what: event.summary,
      by: byLine(event.actor),
      words: wordsOf(event),
      checkBeforeRelease: CHECK_BEFORE_RELEASE.has(event.type),
    })),
  };
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML, every character that could start markup escaped. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

const LONDON = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'long', timeStyle: 'short' });

function when(instant: string): string {
  return escapeHtml(LONDON.format(new Date(instant)));
}

function paragraphs(text: string): string {
  return text
    .split(/\n+/)
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('');
}

function row(label: string, value: string | null): string {
  return `<tr><th scope="row">${escapeHtml(label)}</th><td>${value === null || value === '' ? '<em>none</em>' : paragraphs(value)}</td></tr>`;
}

function personAffected(item: ExportedCase): string | null {
  return [item.personAffected?.name, item.personAffected?.description].filter(Boolean).join(', ') || null;
}

function caseSection(item: ExportedCase): string {
  const parts = [
    `<section><h2>Complaint ${escapeHtml(item.reference)}</h2>`,
    item.checkBeforeRelease ? '<p class="note check">This complaint was made for someone else: check all of it for their information before release.</p>' : '',
    item.erased ? `<p class="note">The personal details in this complaint were erased on ${when(item.erased.at)}.</p>` : '',
    '<table>',
    row('Procedure', `${item.procedure} (${item.stage}), ${item.status}`),
    row('Made on', LONDON.format(new Date(item.lodgedAt))),
    row('Your name', item.you.name),
    row('Who it is about', item.you.relationshipToPersonAffected === 'self' ? 'You' : personAffected(item)),
    row('What happened', item.whatHappened),
    row('When, in your words', item.whenItHappened.said),
    row('What you want to happen', item.outcomeWanted),
    row('Email', item.contact.email),
    row('Phone', item.contact.phone),
    row('How you prefer to be contacted', item.contact.preferred),
    row('Adjustments you asked for', item.adjustments),
    row('Advocacy', item.advocacy),
    row('Privacy notice agreed', `Version ${item.consent.privacyNoticeVersion}, ${LONDON.format(new Date(item.consent.givenAt))}`),
    row('Words that raised a safeguarding concern', item.safeguardingNotes.length > 0 ? item.safeguardingNotes.join('\n') : null),
    '</table>',
    '<h3>Dates the organisation set</h3><ul>',
    ...item.deadlines.map((deadline) => `<li>${escapeHtml(`${deadline.stage}, ${deadline.kind}: by ${deadline.due} (${deadline.rule})`)}</li>`),
    '</ul>',
    '<h3>Responses</h3>',
    item.responses.length === 0 ? '<p><em>none</em></p>' : '',
    ...item.responses.map((response) => `<article><h4>${when(response.at)}, ${escapeHtml(response.by)}</h4>${paragraphs(response.text)}</article>`),
    '<h3>What happened on the complaint</h3><table><thead><tr><th>When</th><th>What</th><th>Who</th><th>Words</th></tr></thead><tbody>',
    ...item.history.map(
      (entry) =>
        `<tr${entry.checkBeforeRelease ? ' class="check"' : ''}><td>${when(entry.at)}</td><td>${escapeHtml(entry.what)}${
          entry.checkBeforeRelease ? ' <strong>(check for other people’s information before release)</strong>' : ''
        }</td><td>${escapeHtml(entry.by)}</td><td>${entry.words === null ? '' : paragraphs(entry.words)}</td></tr>`,
    ),
    '</tbody></table></section>',
  ];
  return parts.join('\n');
}

/** The page's look: plain, printable, readable on a phone. */
const STYLE = [
  'body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}',
  'table{border-collapse:collapse;width:100%}',
  'th,td{border:1px solid #999;padding:.4rem;text-align:left;vertical-align:top}',
  'tr.check,p.check{background:#fff4ce}.note{font-weight:bold}',
].join('');

function holds(count: number): string {
  return `It holds ${String(count)} complaint${count === 1 ? '' : 's'} of yours.`;
}

/** The export of what is held in these cases. */
export function subjectAccessExport(held: readonly HeldCase[], options: SubjectAccessOptions): SubjectAccessExport {
  const cases = held.map(exported);
  const json: SubjectAccessJson = {
    kind: 'subject-access-export',
    organisation: options.organisation,
    preparedAt: options.preparedAt.toISOString(),
    foundBy: options.foundBy,
    cases,
  };
  const html = [
    '<!doctype html>',
    '<html lang="en-GB"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Information ${escapeHtml(options.organisation)} holds about you</title>`,
    `<style>${STYLE}</style>`,
    '</head><body>',
    `<h1>Information ${escapeHtml(options.organisation)} holds about you</h1>`,
    `<p>From its complaints service, prepared on ${escapeHtml(LONDON.format(options.preparedAt))}. ${holds(cases.length)}</p>`,
    ...cases.map(caseSection),
    '</body></html>',
  ].join('\n');
  return { json, html };
}

/**
 * The page a one-time link opens for a member of staff: the readable document, with the same
 * data as JSON below it (to save for another system or the ombudsman).
 */
export function exportPage(made: SubjectAccessExport): string {
  const json = `<hr><details><summary>The same, as JSON</summary><pre>${escapeHtml(JSON.stringify(made.json, null, 2))}</pre></details>`;
  return made.html.replace('</body></html>', `${json}\n</body></html>`);
}
