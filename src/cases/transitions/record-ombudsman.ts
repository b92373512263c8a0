/**
 * An ombudsman is looking at the complaint: the organisation learns it when the ombudsman writes
 * to it, and staff record it here, with the day they were told. The yearly figures count it (the
 * NHS's annual report must, under SI 2009/309 reg 18(2)(c)). Recording it again corrects it.
 *
 * @example
 * const result = recordOmbudsman(value, { ombudsman: 'phso', toldOn: parseLocalDate('2026-11-30') }, context);
 * if (!isRefusal(result)) result.next.ombudsman?.name; // 'Parliamentary and Health Service Ombudsman'
 */
import type { Case } from '../case.js';
import { compareDates, dateInZone, formatLongDate, type LocalDate } from '../../policy/index.js';
import { type StaffContext, staffDraft, type StaffTransitionResult } from './staff-change.js';
import { refuse } from './transition.js';

/** Which ombudsman, and the day the organisation was told. */
export interface OmbudsmanRequest {
  readonly ombudsman: string;
  readonly toldOn: LocalDate;
}

/** Records that an ombudsman is looking at the complaint. */
export function recordOmbudsman(current: Case, request: OmbudsmanRequest, context: StaffContext): StaffTransitionResult {
  const { policy, now } = context;
  const ombudsman = policy.ombudsmenFor(current.procedure).find((each) => each.id === request.ombudsman);
  if (!ombudsman) return refuse('not-this-ombudsman', 'That ombudsman does not look at complaints under this procedure.');
  const zone = policy.calendar.timeZone;
  const today = dateInZone(now, zone);
  if (compareDates(request.toldOn, today) > 0) {
    return refuse('told-in-future', `${formatLongDate(request.toldOn)} has not come yet: record the day the ombudsman told you, today or earlier.`);
  }
  const lodgedOn = dateInZone(new Date(current.lodgedAt), zone);
  if (compareDates(request.toldOn, lodgedOn) < 0) {
    return refuse('told-before-lodged', `The complaint was made on ${formatLongDate(lodgedOn)}: an ombudsman could not have told you about it before then.`);
  }
  const draft = staffDraft(current, context);
  draft.next.ombudsman = { id: ombudsman.id, name: ombudsman.name, toldOn: request.toldOn, recordedBy: context.staff.name };
  const what = `${ombudsman.name} is looking at the complaint (the organisation was told on ${formatLongDate(request.toldOn)})`;
  return draft.finish(
    draft.event('ombudsman', current.ombudsman ? `Corrected: ${what}` : what, { ombudsman: ombudsman.id, toldOn: request.toldOn }),
    `Recorded: ${what}.`,
  );
}
