/**
 * The procedures this organisation runs, as data. To add one, write its JSON beside these and
 * list it here; `createRulebook` checks it against the schema in ../definition-schema.ts.
 */
import type { RulebookData } from '../rulebook.js';
import directory from './directory.json';
import laChildrensServices from './la-childrens-services.json';
import nhsChoices from './nhs-choices.json';
import nhsHealth from './nhs-health.json';

/** The shipped rulebook data: three procedures and the directory they refer to. */
export const builtInRulebookData: RulebookData = {
  procedures: [nhsChoices, laChildrensServices, nhsHealth],
  ombudsmen: directory.ombudsmen,
  bodies: directory.bodies,
};
