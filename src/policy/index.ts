/**
 * The escalation-policy module: the one place that says, for each complaint procedure, what the
 * stages are, who handles each, what comes next and when each response is due. Pure: no I/O, no
 * framework imports, no clock reads.
 */
export * from './calendar/computed-bank-holidays.js';
export * from './calendar/local-date.js';
export * from './calendar/snapshot.js';
export * from './calendar/working-days.js';
export * from './calendar/zoned-time.js';
export { englandAndWalesCalendar } from './calendar/england-and-wales.js';
export * from './catalogue.js';
export * from './deadlines.js';
export * from './definition-schema.js';
export * from './errors.js';
export * from './escalation.js';
export * from './escalation-policy.js';
export * from './independence.js';
export { builtInRulebookData } from './procedures/index.js';
export * from './rulebook.js';
export * from './stages.js';
export * from './standing.js';
export * from './timeliness.js';
export * from './wording.js';
