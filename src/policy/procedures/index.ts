/**
 * The procedures this organisation runs, as data. To add one, write its JSON beside these and
 * list it here; `createRulebook` checks it against the schema in ../definition-schema.ts. Rules
 * several procedures share because the same law makes them are in shared-rules.json.
 */
import type { RulebookData } from '../rulebook.js';
import directory from './directory.json';
import laAdultSocialCare from './la-adult-social-care.json';
import laChildrensServices from './la-childrens-services.json';
import laCorporate from './la-corporate.json';
import nhsChoices from './nhs-choices.json';
import nhsHealth from './nhs-health.json';
import shared from './shared-rules.json';

/** The shipped rulebook data: five procedures, the rules they share and the directory they refer to. */
export const builtInRulebookData: RulebookData = {
  procedures: [nhsChoices, laChildrensServices, nhsHealth, laCorporate, laAdultSocialCare],
  ombudsmen: directory.ombudsmen,
  bodies: directory.bodies,
  shared: shared.rules,
};
