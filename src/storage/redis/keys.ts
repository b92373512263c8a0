/**
 * Every Redis key comes from here, under one prefix.
 *
 * Identifiers from channels (conversation ids, and on SMS or WhatsApp channels phone numbers)
 * never appear in key names: they are replaced by an HMAC keyed with a secret that is not in
 * Redis, so a key listing tells nothing about who is talking to the bot.
 *
 * Cases are spread over a fixed number of shards. Each shard's keys share a hash tag ("{s07}"),
 * so a case, its history and the indexes it appears in sit in one Redis Cluster slot, and every
 * change to a case is one atomic script even on a Cluster. A shard is a pure function of the
 * reference (or, for the lodging marker, of the submission), so any instance finds it again.
 *
 * Parts that come from outside (bot state keys, handler ids) are escaped injectively: two
 * different inputs never make the same key, and braces can never form a hash tag of their own.
 */
import { createHmac } from 'node:crypto';
import type { CaseReference } from '../../cases/reference.js';

/** FNV-1a, 32-bit, over UTF-16 code units: cheap, stable and well spread for random references. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

const SAFE = /[A-Za-z0-9_.~-]/;

/**
 * Escapes a key part: safe characters stay, every other UTF-16 code unit becomes "%" and four hex
 * digits. Fixed width makes it injective, even for lone surrogates and "%" itself.
 * @example escapeKeyPart('msteams:19:abc@thread.v2') // 'msteams%003a19%003aabc%0040thread.v2'
 */
export function escapeKeyPart(text: string): string {
  let out = '';
  for (let index = 0; index < text.length; index += 1) {
    const character = text.charAt(index);
    out += SAFE.test(character) ? character : `%${text.charCodeAt(index).toString(16).padStart(4, '0')}`;
  }
  return out;
}

/** Builds every key the Redis adapters use. */
export class RedisKeys {
  constructor(
    readonly prefix: string,
    readonly shards: number,
    private readonly secret: string,
  ) {
    if (!/^[A-Za-z0-9_.:-]+$/.test(prefix)) throw new RangeError(`Unusable Redis key prefix "${prefix}"`);
    if (!Number.isInteger(shards) || shards < 1) throw new RangeError(`Shard count must be a positive whole number, not ${shards}`);
    if (secret.length < 32) throw new RangeError('The key secret must be at least 32 characters');
  }

  /** An outside identifier as it may appear in a key: an HMAC, fixed length, no personal data. */
  private opaque(identifier: string): string {
    return createHmac('sha256', this.secret).update(identifier).digest('base64url');
  }

  /** The shard a case lives in. */
  shardOfReference(reference: CaseReference): number {
    return fnv1a(reference) % this.shards;
  }

  /** The shard a submission's lodging marker lives in (its case is drawn into the same one). */
  shardOfSubmission(submissionHash: string): number {
    return fnv1a(submissionHash) % this.shards;
  }

  private tag(shard: number): string {
    return `${this.prefix}:{s${String(shard).padStart(3, '0')}}`;
  }

  private caseBase(reference: CaseReference): string {
    return `${this.tag(this.shardOfReference(reference))}:case:${reference}`;
  }

  /** The case itself: a hash of version, document and second-factor hash. */
  case(reference: CaseReference): string {
    return this.caseBase(reference);
  }

  /** The case's history, a stream. */
  history(reference: CaseReference): string {
    return `${this.caseBase(reference)}:history`;
  }

  /** Idempotency keys of changes already applied to the case. */
  appliedChanges(reference: CaseReference): string {
    return `${this.caseBase(reference)}:applied`;
  }

  /** The case's staff effects not yet done, in order (a zset of outbox event ids). */
  staffEffects(reference: CaseReference): string {
    return `${this.caseBase(reference)}:fx:staff`;
  }

  /** Which of the case's effects are done (a hash: "<event id>:<effect>" -> when). */
  effectsDone(reference: CaseReference): string {
    return `${this.caseBase(reference)}:fx:done`;
  }

  /** Held by the one worker doing the case's staff effects at a time (a string: its token). */
  effectsLease(reference: CaseReference): string {
    return `${this.caseBase(reference)}:fx:lease`;
  }

  /** Held by the one worker updating a message's status line in the thread at a time (a string: its token). */
  statusLineHold(reference: CaseReference, eventId: string): string {
    return `${this.caseBase(reference)}:fx:line:${eventId}`;
  }

  /** Failed lookups against a case's reference. */
  referenceGuard(reference: CaseReference): string {
    return `${this.caseBase(reference)}:guard`;
  }

  /** Failed lookups against a case's reference by one requester (in the case's slot). */
  referenceRequesterGuard(reference: CaseReference, requesterKey: string): string {
    return `${this.caseBase(reference)}:guard:${this.opaque(requesterKey)}`;
  }

  /** Which case a submission created, so a repeat of it finds the same case. */
  lodgedSubmission(shard: number, submissionHash: string): string {
    return `${this.tag(shard)}:lodged:${submissionHash}`;
  }

  /** The shard's outbox: events written with the changes that caused them, until relayed (a stream). */
  outbox(shard: number): string {
    return `${this.tag(shard)}:outbox`;
  }

  /**
   * The pub/sub channel on which an instance that saves but does not deliver (EFFECT_WORKERS=false)
   * says which shards' outboxes have news, so that delivering instances relay them at once.
   */
  outboxWake(): string {
    return `${this.prefix}:outbox-wake`;
  }

  /** Cases with a running deadline, scored by when it ends. */
  dueIndex(shard: number): string {
    return `${this.tag(shard)}:idx:due`;
  }

  /** Cases whose timeline has a moment to come (a reminder, an alert, a window closing), scored by its time. */
  wakeIndex(shard: number): string {
    return `${this.tag(shard)}:idx:wake`;
  }

  /** Cases by lodging time. */
  lodgedIndex(shard: number): string {
    return `${this.tag(shard)}:idx:lodged`;
  }

  /**
   * Cases by the people in them: members "<contact digest>:<reference>" at score 0, read by
   * lexical range, so one key per shard serves every person (see `SecondFactorHasher.contactDigests`).
   */
  contactIndex(shard: number): string {
    return `${this.tag(shard)}:idx:contact`;
  }

  /** Finished cases (closed, redirected, withdrawn) by when they finished, for retention; erased ones leave it. */
  finishedIndex(shard: number): string {
    return `${this.tag(shard)}:idx:finished`;
  }

  statusIndex(shard: number, status: string): string {
    return `${this.tag(shard)}:idx:status:${escapeKeyPart(status)}`;
  }

  stageIndex(shard: number, procedure: string, stage: string): string {
    return `${this.tag(shard)}:idx:stage:${escapeKeyPart(procedure)}:${escapeKeyPart(stage)}`;
  }

  /** Cases by handler; `null` is the unassigned list. */
  handlerIndex(shard: number, handlerId: string | null): string {
    return `${this.tag(shard)}:idx:handler:${handlerId === null ? '-' : `=${escapeKeyPart(handlerId)}`}`;
  }

  /** Lookup attempts by one requester (its own slot: it is never changed with a case). */
  requesterGuard(requesterKey: string): string {
    return `${this.prefix}:guard:requester:{${this.opaque(requesterKey)}}`;
  }

  /** Bot Framework state for one storage key ("webchat/conversations/abc..."). */
  botState(storageKey: string): string {
    return `${this.prefix}:state:{${this.opaque(storageKey)}}`;
  }

  /** A self-hosted Direct Line conversation's activities (a list). */
  directLineActivities(conversationId: string): string {
    return `${this.prefix}:dl:{${escapeKeyPart(conversationId)}}:activities`;
  }

  /** A self-hosted Direct Line conversation's owner and seen client activity ids (a hash). */
  directLineConversation(conversationId: string): string {
    return `${this.prefix}:dl:{${escapeKeyPart(conversationId)}}:conversation`;
  }

  /** A self-hosted Direct Line conversation's activities awaiting their turn (a hash: id to list index and claim end). */
  directLineUnhandled(conversationId: string): string {
    return `${this.prefix}:dl:{${escapeKeyPart(conversationId)}}:unhandled`;
  }

  /** Conversations with activities awaiting their turn, by when the earliest claim ends (a sorted set, any instance's to sweep). */
  directLineUnhandledIndex(): string {
    return `${this.prefix}:dl:unhandled`;
  }

  /** The pub/sub channel announcing appended activities to every instance. */
  directLineEvents(): string {
    return `${this.prefix}:dl:appended`;
  }

  /** Staff's Teams user ids, by Entra object id (a hash), learned from their activities. */
  staffTeamsIds(): string {
    return `${this.prefix}:teams:staff-ids`;
  }

  /** What was said when a safeguarding concern was raised before there was a case (a string; set once). */
  concernNote(concernId: string): string {
    return `${this.prefix}:concern:{${escapeKeyPart(concernId)}}`;
  }

  /** What was done under data protection rights (subject access, rectification, erasure), oldest first (a stream; no personal data). */
  rightsAudit(): string {
    return `${this.prefix}:rights:audit`;
  }

  /** A one-time link to a subject access export (a string that expires; the token itself is not in the key). */
  rightsExportTicket(token: string): string {
    return `${this.prefix}:rights:export:{${this.opaque(token)}}`;
  }

  /** The case whose Teams card is this post (a string; set once). */
  teamsThread(rootActivityId: string): string {
    return `${this.prefix}:teams:thread:{${escapeKeyPart(rootActivityId)}}`;
  }

  /**
   * The prefix of the BullMQ queues. Each queue's name is a hash tag ("{teams}"), so all of one
   * queue's keys share a Cluster slot, as BullMQ needs.
   */
  queuePrefix(): string {
    return `${this.prefix}:q`;
  }

  /** Facts about the data under this prefix that must not change while it exists (the shard count). */
  meta(): string {
    return `${this.prefix}:meta`;
  }

  /** A pattern matching every key under this prefix (for tests and tooling that clean up). */
  everything(): string {
    return `${this.prefix}:*`;
  }
}
