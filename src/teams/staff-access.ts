/**
 * Who may act on a case from Teams: the activity must come from Teams, from an allowed tenant,
 * from a member of the staff list, and (to act on a case) in the service desk's channel. Pure:
 * the activity's authenticity is checked before this (Bot Framework's token, on /api/messages);
 * this decides whether its sender is one of ours.
 */

/** The parts of an incoming activity the decision reads (as Teams sends them). */
export interface TeamsActivityFacts {
  readonly channelId?: string;
  readonly from?: { readonly id?: string; readonly name?: string; readonly aadObjectId?: string };
  readonly conversation?: { readonly id?: string; readonly tenantId?: string; readonly conversationType?: string };
  readonly channelData?: unknown;
}

/** The staff side's access rules, from configuration. */
export interface StaffAccessRules {
  readonly tenantIds: readonly string[];
  readonly staffIds: readonly string[];
  /** The service desk's channel (19:...@thread.tacv2). */
  readonly channelId: string;
}

/** A member of staff, as recorded on a case. */
export interface StaffMember {
  /** The Entra object id: stable, and what the independence rule compares. */
  readonly id: string;
  readonly name: string;
}

/** Why an activity may not act. */
export type AccessRefusal = 'not-teams' | 'wrong-tenant' | 'not-staff' | 'wrong-channel';

export type AccessDecision = { readonly allowed: true; readonly staff: StaffMember } | { readonly allowed: false; readonly reason: AccessRefusal };

interface TeamsChannelData {
  readonly tenant?: { readonly id?: unknown };
  readonly channel?: { readonly id?: unknown };
}

/** The tenant and channel Teams put in an activity's channel data (each unchecked: test before use). */
export function teamsChannelData(facts: TeamsActivityFacts): TeamsChannelData {
  const data: unknown = facts.channelData;
  return typeof data === 'object' && data !== null ? data : {};
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Whether the sender is staff, wherever they are (a personal chat with the bot, for help).
 * Both places Teams states the tenant must agree with the list.
 */
export function checkStaff(facts: TeamsActivityFacts, rules: StaffAccessRules): AccessDecision {
  if (facts.channelId !== 'msteams') return { allowed: false, reason: 'not-teams' };
  const data = teamsChannelData(facts);
  const tenant = typeof data.tenant?.id === 'string' ? data.tenant.id : null;
  const conversationTenant = facts.conversation?.tenantId;
  if (tenant === null || !rules.tenantIds.some((id) => sameId(id, tenant))) return { allowed: false, reason: 'wrong-tenant' };
  if (conversationTenant !== undefined && !sameId(conversationTenant, tenant)) return { allowed: false, reason: 'wrong-tenant' };
  const objectId = facts.from?.aadObjectId;
  if (!objectId || !rules.staffIds.some((id) => sameId(id, objectId))) return { allowed: false, reason: 'not-staff' };
  return { allowed: true, staff: { id: objectId.toLowerCase(), name: (facts.from.name ?? '').trim().slice(0, 200) || 'A member of staff' } };
}

/** Whether the sender is staff acting in the service desk's channel (where case cards live). */
export function checkStaffInChannel(facts: TeamsActivityFacts, rules: StaffAccessRules): AccessDecision {
  const staff = checkStaff(facts, rules);
  if (!staff.allowed) return staff;
  const channel = teamsChannelData(facts).channel?.id;
  const conversation = facts.conversation?.id ?? '';
  const inChannel =
    typeof channel === 'string' && channel === rules.channelId && (conversation === rules.channelId || conversation.startsWith(`${rules.channelId};`));
  return inChannel ? staff : { allowed: false, reason: 'wrong-channel' };
}
