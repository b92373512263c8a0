/**
 * The wake schedule a store uses when it is made without one (tools, and tests of other parts):
 * the built-in rulebook's with the default settings. The running bot passes its own, built from
 * the configuration (see `openStores`), so the two can only differ where nothing is configured.
 */
import type { WakeSchedule } from '../cases/case-store.js';
import { DEFAULT_TIMELINE_SETTINGS, wakeScheduleFor } from '../cases/timeline.js';
import { createEscalationPolicy } from '../policy/index.js';

let builtIn: WakeSchedule | undefined;

export function defaultWakeSchedule(): WakeSchedule {
  builtIn ??= wakeScheduleFor(createEscalationPolicy(), DEFAULT_TIMELINE_SETTINGS);
  return builtIn;
}
