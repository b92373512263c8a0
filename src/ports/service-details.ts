/**
 * The organisation's own details that the conversation gives people: how to reach a person,
 * where to go in an emergency, the privacy notice. Configured per deployment.
 */
export interface ServiceDetails {
  /** How the organisation is named in replies: "the council", "NHS Choices". */
  readonly organisation: string;
  readonly serviceDesk: { readonly phone: string; readonly email: string; readonly hours: string };
  readonly privacyNotice: { readonly version: string; readonly url: string; readonly keptFor: string };
  /** Numbers to give when someone may be at risk. */
  readonly safeguarding: { readonly children: string; readonly adults: string };
  /** Local time after which a complaint counts as received the next working day (HH:MM), if any. */
  readonly cutOff?: string;
}
