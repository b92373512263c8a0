/** The shipped England and Wales working-day calendar (GOV.UK bank holidays snapshot). */
import snapshot from './data/england-and-wales.json';
import { createWorkingDayCalendar, type WorkingDayCalendar } from './working-days.js';

/** England and Wales bank holidays from the snapshot in ./data, checked at load. */
export const englandAndWalesCalendar: WorkingDayCalendar = createWorkingDayCalendar(snapshot);
