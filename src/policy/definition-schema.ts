/**
 * The shape of a complaint procedure as data. Adding a procedure means writing one JSON document
 * that passes this schema; no code changes. Every rule carries a citation so staff and an
 * ombudsman can see why a date is what it is.
 */
import { z } from 'zod';

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens, e.g. "stage-one"');
const text = z.string().trim().min(1, 'must not be empty');

/**
 * Where a rule comes from: the law itself; official guidance read in its own words (an
 * ombudsman's code issued under statute, such as the LGSCO's Complaint Handling Code); the
 * procedure document we were given; or a secondary source quoting the law or guidance.
 */
export const citationSchema = z.strictObject({
  source: z.enum(['law', 'guidance', 'procedure-document', 'secondary']),
  reference: text,
  url: z.url().optional(),
  document: text.optional(),
  quote: text.optional(),
  note: text.optional(),
});

/**
 * How the person complaining relates to the person affected ("self" when it is about them). The
 * rulebook names which of these entitle someone to complain under a procedure.
 */
export const relationshipSchema = z.enum([
  'self',
  'parent',
  'foster-carer',
  'parental-responsibility',
  'relative',
  'carer',
  'advocate',
  'representative',
  'other',
]);

/** Units a time limit can be counted in. */
export const timeUnitSchema = z.enum(['working-days', 'calendar-days', 'months']);

/**
 * How a period is counted from the day it starts from, as the provision words it (PROCEDURES.md
 * section 4). `after`: "within N working days of receipt", "not later than N working days after
 * the day on which", "12 months from": that day is not counted, so N working days end on the Nth
 * working day after it, and months end on the corresponding date. `beginning-with`: "N months
 * beginning with", "commencing on": that day is the first of the period, so months end the day
 * before the corresponding date and working days count it as day 1 when it is one.
 */
export const countingSchema = z.enum(['after', 'beginning-with']);

const amount = z.number().int('must be a whole number').min(0, 'must not be negative');

/** A time limit within a stage (or on the whole procedure, for acknowledgement). */
export const timeLimitSchema = z
  .strictObject({
    id: slug,
    kind: z.enum(['acknowledgement', 'response', 'meeting', 'report', 'explanation-duty']),
    /** What is due, as the complainant would say it: "a response to your complaint". */
    description: text,
    amount,
    unit: timeUnitSchema,
    counting: countingSchema,
    /**
     * The provision allows the date to pass where meeting it is not reasonably practicable (SI
     * 2006/1738 reg 20: "or as soon as is reasonably practicable"); the date is still the one we aim for.
     */
    orAsSoonAsPracticable: z.boolean().default(false),
    /** Counted from the start of the stage (receipt of the complaint or request), or from an earlier time limit's event. */
    from: z.union([z.literal('stage-start'), z.strictObject({ after: slug })]).default('stage-start'),
    /**
     * For an acknowledgement: who gives it. `service`: the service's own acknowledgement, sent as
     * it receives the complaint or request (its reference and when the response is due), meets it,
     * so it is given on the day of receipt and whatever counts from it counts from that day.
     * `staff`: staff give it themselves (an NHS body's offer to discuss how the complaint will be
     * handled).
     */
    acknowledgedBy: z.enum(['staff', 'service']).default('staff'),
    extension: z
      .strictObject({
        upTo: amount,
        when: text,
        /**
         * What the complainant is told with the new date, besides it: the reason staff give (the
         * Complaint Handling Code para 5.5), and how to reach the ombudsman (para 6.5). Elsewhere
         * the reason stays in the history.
         */
        toldWith: z.array(z.enum(['reason', 'ombudsman'])).default([]),
        citation: citationSchema,
      })
      .optional(),
    citation: citationSchema,
  })
  .superRefine((limit, ctx) => {
    if (limit.acknowledgedBy === 'service' && limit.kind !== 'acknowledgement') {
      ctx.addIssue({ code: 'custom', path: ['acknowledgedBy'], message: 'only an acknowledgement is given by the service' });
    }
    if (limit.extension && limit.extension.upTo <= limit.amount) {
      ctx.addIssue({ code: 'custom', path: ['extension', 'upTo'], message: `must be more than the time limit itself (${limit.amount})` });
    }
  });

const routeSchema = z.strictObject({
  id: slug,
  role: text,
  description: text,
  /** When a complainant should choose this route. */
  for: text,
  /** An entry in the rulebook's `bodies` directory naming this kind of organisation. */
  body: slug.optional(),
});

/** One stage of a procedure. */
export const stageSchema = z
  .strictObject({
    id: slug,
    name: text,
    /** What happens at this stage, in words a member of the public understands. */
    description: text,
    handler: z.strictObject({
      role: text,
      description: text,
      routes: z.array(routeSchema).min(2).optional(),
    }),
    entry: z.strictObject({
      by: z.enum(['lodging', 'forwarding', 'escalation-request']),
      /**
       * The complainant's window to ask, counted from the day the previous stage's response was
       * sent: the earliest reading of "within 20 working days of receiving the response", since
       * we cannot know when it reached them.
       */
      requestWithin: z
        .strictObject({
          amount,
          unit: timeUnitSchema,
          counting: countingSchema,
          after: z.literal('previous-response'),
          /** What the provision says, and when the window starts, in words for staff and the CLI. */
          description: text,
          citation: citationSchema,
        })
        .optional(),
      /**
       * The complainant may also ask for this stage when the previous stage's response is overdue
       * (SI 2006/1738 regs 14 and 17): a late response never blocks the next step.
       */
      whenPreviousResponseOverdue: z.strictObject({ rule: text, citation: citationSchema }).optional(),
    }),
    timeLimits: z.array(timeLimitSchema).min(1, 'a stage needs at least one time limit'),
    /**
     * Where the body may agree a response period with the complainant (SI 2009/309 reg 13(3)):
     * staff record the agreed date, and lateness and the duty to explain a delay follow it.
     */
    agreedResponse: z.strictObject({ rule: text, citation: citationSchema }).optional(),
    /** The time limit whose event is the response a complainant can accept or escalate from; the first by default. */
    responseTimeLimit: slug.optional(),
    final: z.boolean().default(false),
  })
  .superRefine((stage, ctx) => {
    const ids = stage.timeLimits.map((limit) => limit.id);
    stage.timeLimits.forEach((limit, index) => {
      if (ids.indexOf(limit.id) !== index) {
        ctx.addIssue({ code: 'custom', path: ['timeLimits', index, 'id'], message: `"${limit.id}" is used twice in this stage` });
      }
      if (typeof limit.from === 'object' && !ids.slice(0, index).includes(limit.from.after)) {
        ctx.addIssue({
          code: 'custom',
          path: ['timeLimits', index, 'from', 'after'],
          message: `must name an earlier time limit of this stage (${ids.slice(0, index).join(', ') || 'none'})`,
        });
      }
    });
    if (stage.timeLimits[0]?.from !== 'stage-start') {
      ctx.addIssue({ code: 'custom', path: ['timeLimits', 0, 'from'], message: 'the first time limit must count from the start of the stage' });
    }
    if (stage.responseTimeLimit !== undefined && !ids.includes(stage.responseTimeLimit)) {
      ctx.addIssue({ code: 'custom', path: ['responseTimeLimit'], message: `must name one of this stage's time limits (${ids.join(', ')})` });
    }
    if (stage.entry.requestWithin && stage.entry.by !== 'escalation-request') {
      ctx.addIssue({ code: 'custom', path: ['entry', 'requestWithin'], message: 'only a stage entered by an escalation request can have a request window' });
    }
  });

/** Where a complainant goes after the final stage. */
export const ombudsmanRouteSchema = z.strictObject({
  ombudsman: slug,
  joint: z.strictObject({ with: slug, when: text, citation: citationSchema }).optional(),
  /**
   * The ombudsman normally expects the local procedure to be finished first, but may take a
   * complaint earlier when the body has had a reasonable chance to respond and has not.
   */
  localProcessFirst: z.strictObject({ rule: text, whenLate: text, citation: citationSchema }),
  /** A referral the complaint needs before this ombudsman can look at it (an MP, for the PHSO's parliamentary jurisdiction). */
  referral: z.strictObject({ by: text, rule: text, citation: citationSchema }).optional(),
  window: z.strictObject({
    amount,
    unit: timeUnitSchema,
    counting: countingSchema,
    from: z.literal('first-notice'),
    description: text,
    mayBeWaived: z.boolean(),
    citation: citationSchema,
  }),
});

const ruleWithCitation = z.strictObject({ rule: text, citation: citationSchema });

/** One complaint procedure. */
export const procedureSchema = z
  .strictObject({
    id: slug,
    name: text,
    /** How a sentence refers to it: "the council's children's social care complaints procedure". */
    referredToAs: text,
    /** What the procedure covers, in plain words, for choosing it. */
    summary: text,
    basis: z.strictObject({ kind: z.enum(['statutory', 'organisational']), citation: citationSchema }),
    overseenBy: z.strictObject({ role: text, description: text }).optional(),
    stages: z.array(stageSchema).min(1, 'a procedure needs at least one stage'),
    ombudsman: ombudsmanRouteSchema,
    acknowledgement: timeLimitSchema.optional(),
    complaintTimeLimit: z
      .strictObject({
        amount,
        unit: timeUnitSchema,
        counting: countingSchema,
        /** Counted from when it happened, or from the later of that and when the person first knew. */
        from: z.enum(['event', 'event-or-first-notice']),
        description: text,
        lateComplaints: z.literal('flag-for-decision'),
        /** When a late complaint can still be accepted, completing "It can still be looked at if ...". */
        lateAcceptedWhen: text,
        citation: citationSchema,
      })
      .optional(),
    safeguarding: z.strictObject({ leavesProcedure: z.boolean(), guidance: text, citation: citationSchema }).optional(),
    /**
     * Advocacy: where the law puts a duty on the body to arrange it for a child or young person
     * (Children Act 1989 s26A), it is offered to them as something the body must do; everyone else
     * is pointed to the services named here, never promised one.
     */
    advocacy: z
      .strictObject({
        name: text,
        description: text,
        citation: citationSchema,
        childrensDuty: z.strictObject({ rule: text, citation: citationSchema }).optional(),
      })
      .optional(),
    whoMayComplain: z
      .strictObject({
        people: z.array(text).min(1),
        /** Relationships (of the person complaining to the person affected) that entitle them to complain. */
        entitled: z.array(relationshipSchema).min(1),
        /** Anyone else is accepted and the case flagged for staff to decide whether they have sufficient interest. */
        othersNeed: z.strictObject({
          /** What staff decide, completing "decide ...". */
          decision: text,
          /** The same, said to the person complaining, completing "... will decide ...". */
          toComplainant: text,
          rule: text,
          citation: citationSchema,
        }),
        citation: citationSchema,
      })
      .optional(),
    /**
     * Complaints made for a child by someone else, which the body may consider only once satisfied
     * there are reasonable grounds for a representative to make it (SI 2009/309 reg 5).
     */
    representativeForChild: z.strictObject({ check: text, toComplainant: text, rule: text, citation: citationSchema }).optional(),
    redirection: ruleWithCitation.optional(),
    coordination: ruleWithCitation.optional(),
    independence: z
      .strictObject({
        scope: z.enum(['next-stage', 'any-later-stage']),
        rule: text,
        citation: citationSchema,
      })
      .optional(),
    otherDuties: z.array(ruleWithCitation).optional(),
    /**
     * A code of practice the procedure follows (the LGSCO's Complaint Handling Code), and each of
     * its self-assessment items this service meets, and how: what a complaints manager can put in
     * the yearly self-assessment, each with the provision behind it.
     */
    selfAssessment: z
      .strictObject({
        code: text,
        items: z.array(z.strictObject({ item: text, howMet: text, citation: citationSchema })).min(1),
      })
      .optional(),
    discrepancies: z
      .array(
        z.strictObject({
          documentSays: text,
          lawSays: text,
          /** Which source the rulebook follows: usually the law, or a secondary source quoting it. */
          weFollow: z.enum(['law', 'procedure-document', 'secondary']),
          citation: citationSchema,
        }),
      )
      .optional(),
  })
  .superRefine((procedure, ctx) => {
    const ids = procedure.stages.map((stage) => stage.id);
    procedure.stages.forEach((stage, index) => {
      if (ids.indexOf(stage.id) !== index) {
        ctx.addIssue({ code: 'custom', path: ['stages', index, 'id'], message: `"${stage.id}" is used twice in this procedure` });
      }
      const last = index === procedure.stages.length - 1;
      if (stage.final !== last) {
        ctx.addIssue({
          code: 'custom',
          path: ['stages', index, 'final'],
          message: last ? 'the last stage must be marked final' : 'only the last stage can be final',
        });
      }
      if ((index === 0) !== (stage.entry.by === 'lodging')) {
        ctx.addIssue({
          code: 'custom',
          path: ['stages', index, 'entry', 'by'],
          message: index === 0 ? 'the first stage is entered by lodging' : 'only the first stage is entered by lodging',
        });
      }
    });
    if (procedure.acknowledgement && procedure.acknowledgement.from !== 'stage-start') {
      ctx.addIssue({ code: 'custom', path: ['acknowledgement', 'from'], message: 'an acknowledgement counts from receipt of the complaint' });
    }
  });

/** An ombudsman in the rulebook's directory. */
export const ombudsmanSchema = z.strictObject({
  id: slug,
  name: text,
  shortName: text,
  remit: text,
  website: z.url(),
  phone: text,
  citation: citationSchema,
});

/** A kind of organisation procedures route complaints to, named as directory data because names change (CCGs became ICBs). */
export const bodySchema = z.strictObject({
  id: slug,
  name: text,
  shortName: text,
  description: text,
  formerly: z.strictObject({ name: text, until: z.iso.date(), citation: citationSchema }).optional(),
});

/** A procedure definition as written (before defaults). */
export type ProcedureDefinitionInput = z.input<typeof procedureSchema>;
/** A checked procedure definition. */
export type ProcedureDefinition = z.output<typeof procedureSchema>;
/** A checked stage. */
export type StageDefinition = z.output<typeof stageSchema>;
/** A checked time limit. */
export type TimeLimitDefinition = z.output<typeof timeLimitSchema>;
/** A citation. */
export type Citation = z.output<typeof citationSchema>;
/** How a period is counted from its first day. */
export type Counting = z.output<typeof countingSchema>;
/** How the person complaining relates to the person affected. */
export type Relationship = z.output<typeof relationshipSchema>;
/** A unit of time. */
export type TimeUnit = z.output<typeof timeUnitSchema>;
/** A checked ombudsman entry. */
export type OmbudsmanDefinition = z.output<typeof ombudsmanSchema>;
/** A checked body entry. */
export type BodyDefinition = z.output<typeof bodySchema>;
