import { strict as assert } from 'node:assert';
import {
  builtInRulebookData,
  createEscalationPolicy,
  createRulebook,
  InvalidProcedureDefinition,
  type ProcedureDefinitionInput,
  type RulebookData,
} from '../../src/policy/index.js';
import { at, policy } from '../helpers/policy.js';

/** What PROCEDURES.md and the seed documents say each procedure contains, stage by stage. */
const EXPECTED = {
  'nhs-choices': [
    { id: 'service-desk', handler: /^Service Desk$/, limits: [[30, 'working-days']] },
    { id: 'sme-response', handler: /Subject Matter Expert/, limits: [[30, 'working-days']] },
    { id: 'stage-one', handler: /^Product Lead$/, limits: [[30, 'working-days']] },
    { id: 'stage-two', handler: /^Programme Head$/, limits: [[30, 'working-days']] },
    { id: 'stage-three', handler: /^Delivery Director$/, limits: [[30, 'working-days']] },
    { id: 'stage-four', handler: /Complaints Sub Group \(CSG\)/, limits: [[30, 'working-days']] },
  ],
  'la-childrens-services': [
    { id: 'stage-1', handler: /Service manager/, limits: [[10, 'working-days', 20]] },
    { id: 'stage-2', handler: /Investigating Officer.*Independent Person/, limits: [[25, 'working-days', 65]] },
    {
      id: 'stage-3',
      handler: /Review Panel of three independent people/,
      limits: [
        [30, 'working-days'],
        [5, 'working-days'],
        [15, 'working-days'],
      ],
    },
  ],
  'nhs-health': [{ id: 'local-resolution', handler: /service provider or the commissioner/, limits: [[6, 'months']] }],
} as const;

function clone<T>(value: T): T {
  return structuredClone(value);
}

function withProcedure(procedure: unknown, extra: Partial<RulebookData> = {}): RulebookData {
  return { ...builtInRulebookData, procedures: [...builtInRulebookData.procedures, procedure], ...extra };
}

/** A fourth procedure, written only as data. */
const housingRepairs: ProcedureDefinitionInput = {
  id: 'housing-repairs',
  name: 'Council housing repairs complaints',
  referredToAs: 'the housing repairs complaints policy',
  summary: 'Complaints about repairs to council homes.',
  basis: { kind: 'organisational', citation: { source: 'procedure-document', reference: 'Housing complaints policy' } },
  stages: [
    {
      id: 'stage-1',
      name: 'Stage 1',
      description: 'The repairs manager replies.',
      handler: { role: 'Repairs manager', description: 'runs the repairs service' },
      entry: { by: 'lodging' },
      timeLimits: [
        {
          id: 'response',
          kind: 'response',
          description: 'a response',
          amount: 10,
          unit: 'working-days',
          counting: 'after',
          citation: { source: 'secondary', reference: 'Housing Ombudsman Complaint Handling Code 6.2' },
        },
      ],
    },
    {
      id: 'stage-2',
      name: 'Stage 2',
      description: 'A senior manager reviews it.',
      handler: { role: 'Head of Housing', description: 'senior manager' },
      entry: { by: 'escalation-request' },
      timeLimits: [
        {
          id: 'response',
          kind: 'response',
          description: 'a final response',
          amount: 20,
          unit: 'working-days',
          counting: 'after',
          citation: { source: 'secondary', reference: 'Housing Ombudsman Complaint Handling Code 6.13' },
        },
      ],
      final: true,
    },
  ],
  ombudsman: {
    ombudsman: 'housing-ombudsman',
    localProcessFirst: {
      rule: 'The Housing Ombudsman expects the landlord’s process to finish first.',
      whenLate: 'it can look sooner when the landlord is late.',
      citation: { source: 'secondary', reference: 'Housing Ombudsman Scheme' },
    },
    window: {
      amount: 12,
      unit: 'months',
      counting: 'after',
      from: 'first-notice',
      description: '12 months from the final response',
      mayBeWaived: true,
      citation: { source: 'secondary', reference: 'Housing Ombudsman Scheme' },
    },
  },
};

const housingOmbudsman = {
  id: 'housing-ombudsman',
  name: 'Housing Ombudsman Service',
  shortName: 'HOS',
  remit: 'looks at complaints about social landlords',
  website: 'https://www.housing-ombudsman.org.uk',
  phone: '0300 111 3000',
  citation: { source: 'secondary', reference: 'Its website' },
};

describe('the rulebook', () => {
  it('has every stage of the three procedures in the documents, with its handler and time limit', () => {
    for (const [procedureId, stages] of Object.entries(EXPECTED)) {
      const actual = policy.stages(procedureId);
      assert.deepEqual(
        actual.map((stage) => stage.id),
        stages.map((stage) => stage.id),
        procedureId,
      );
      stages.forEach((expected, index) => {
        const stage = actual[index]!;
        assert.match(stage.handler.role, expected.handler, `${procedureId}/${stage.id} handler`);
        assert.ok(stage.handler.description.length > 10, `${procedureId}/${stage.id} explains its handler`);
        assert.ok(stage.description.length > 20, `${procedureId}/${stage.id} is described for the public`);
        assert.deepEqual(
          stage.timeLimits.map((limit) => [limit.amount, limit.unit, ...(limit.extendableTo === null ? [] : [limit.extendableTo])]),
          expected.limits,
          `${procedureId}/${stage.id} limits`,
        );
        for (const limit of stage.timeLimits) assert.ok(limit.citation.reference, `${procedureId}/${stage.id}/${limit.id} has a citation`);
      });
      assert.equal(
        actual
          .filter((stage) => stage.final)
          .map((stage) => stage.id)
          .join(),
        stages[stages.length - 1]!.id,
      );
    }
  });

  it('records the procedure-wide rules with their sources', () => {
    const children = policy.procedure('la-childrens-services');
    assert.equal(children.overseenBy?.role, 'Complaints Manager');
    assert.equal(children.safeguarding?.leavesProcedure, true);
    assert.equal(children.complaintTimeLimit?.lateComplaints, 'flag-for-decision');
    assert.equal(children.ombudsman.ombudsman, 'lgsco');
    assert.equal(children.ombudsman.window.citation.source, 'law');
    assert.ok((children.whoMayComplain?.people.length ?? 0) >= 5);
    assert.equal(children.stages[2]?.timeLimits[0]?.citation.reference, 'SI 2006/1738 reg 19(4)');
    assert.deepEqual(
      children.stages.slice(1).map((stage) => stage.entry.requestWithin?.amount),
      [20, 20],
    );

    const health = policy.procedure('nhs-health');
    assert.equal(health.acknowledgement?.amount, 3);
    assert.equal(health.advocacy?.name, 'NHS Complaints Advocacy');
    assert.equal(health.ombudsman.joint?.with, 'lgsco');
    assert.deepEqual(
      health.stages[0]?.handler.routes?.map((route) => route.id),
      ['provider', 'commissioner'],
    );
    assert.equal(policy.rulebook.bodies.get('commissioner')?.name, 'Integrated Care Board');
    assert.match(policy.rulebook.bodies.get('commissioner')?.formerly?.name ?? '', /Clinical Commissioning Group/);
    assert.ok(health.coordination?.citation.reference.includes('reg 9'));

    const choices = policy.procedure('nhs-choices');
    assert.equal(choices.basis.kind, 'organisational');
    assert.ok(choices.redirection);
    assert.equal(choices.ombudsman.ombudsman, 'phso');
  });

  it('is frozen, so no caller can change a rule by accident', () => {
    const stage = policy.procedure('nhs-choices').stages[0]!;
    assert.throws(() => {
      (stage.timeLimits[0] as { amount: number }).amount = 1;
    }, TypeError);
    assert.equal(policy.procedure('nhs-choices').stages[0]?.timeLimits[0]?.amount, 30);
  });

  it('takes another procedure as data alone', () => {
    const extended = createEscalationPolicy({ rulebook: withProcedure(housingRepairs, { ombudsmen: [...builtInRulebookData.ombudsmen, housingOmbudsman] }) });
    assert.deepEqual(
      extended.procedures().map((procedure) => procedure.id),
      ['nhs-choices', 'la-childrens-services', 'nhs-health', 'la-corporate', 'la-adult-social-care', 'housing-repairs'],
    );
    assert.equal(extended.deadline({ procedure: 'housing-repairs', stage: 'stage-2', received: at('2025-06-02T10:00:00+01:00') }).due, '2025-06-30');
    const after = extended.nextStep({ procedure: 'housing-repairs', stage: 'stage-2' });
    assert.equal(after.kind === 'ombudsman' && after.advice.ombudsman.name, 'Housing Ombudsman Service');
    const decision = extended.decideEscalation({
      procedure: 'housing-repairs',
      stage: 'stage-1',
      now: at('2025-06-20T10:00:00Z'),
      respondedAt: at('2025-06-10T10:00:00Z'),
    });
    assert.ok(decision.allowed && decision.to.id === 'stage-2');
  });

  it('names a referral the ombudsman needs first, such as an MP’s for the PHSO’s parliamentary jurisdiction', () => {
    const referral = {
      by: 'a Member of Parliament',
      rule: 'The complaint must first go to an MP, who refers it to the ombudsman.',
      citation: { source: 'law', reference: 'Parliamentary Commissioner Act 1967 s5(1)' },
    };
    const viaMp = { ...housingRepairs, ombudsman: { ...housingRepairs.ombudsman, referral } } as ProcedureDefinitionInput;
    const extended = createEscalationPolicy({ rulebook: withProcedure(viaMp, { ombudsmen: [...builtInRulebookData.ombudsmen, housingOmbudsman] }) });
    const advice = extended.ombudsmanAdvice({ procedure: 'housing-repairs' });
    assert.equal(advice.referral?.by, 'a Member of Parliament');
    assert.match(advice.explanation, /The complaint must first go to an MP, who refers it to the ombudsman\./);
    assert.match(extended.procedures().find((procedure) => procedure.id === 'housing-repairs')?.ombudsman.referral?.citation.reference ?? '', /s5\(1\)/);
  });

  it('refuses a time limit that does not say how it is counted', () => {
    const uncounted = structuredClone(housingRepairs) as Record<string, any>;
    delete uncounted['stages'][0].timeLimits[0].counting;
    assert.throws(
      () => createRulebook(withProcedure(uncounted as ProcedureDefinitionInput, { ombudsmen: [...builtInRulebookData.ombudsmen, housingOmbudsman] })),
      /stages\[0\]\.timeLimits\[0\]\.counting/,
    );
  });

  describe('rejects invalid definitions, naming the field', () => {
    const cases: [string, (definition: Record<string, any>) => void, RegExp][] = [
      [
        'a stage without a handler role',
        (p) => {
          delete p['stages'][2].handler.role;
        },
        /"nhs-choices" is invalid: stages\[2\]\.handler\.role: is missing \(expected text\)/,
      ],
      [
        'an unknown unit',
        (p) => {
          p['stages'][0].timeLimits[0].unit = 'weeks';
        },
        /stages\[0\]\.timeLimits\[0\]\.unit: Invalid option/,
      ],
      [
        'a negative amount',
        (p) => {
          p['stages'][0].timeLimits[0].amount = -3;
        },
        /stages\[0\]\.timeLimits\[0\]\.amount: must not be negative/,
      ],
      [
        'a fractional amount',
        (p) => {
          p['stages'][1].timeLimits[0].amount = 2.5;
        },
        /stages\[1\]\.timeLimits\[0\]\.amount: .*whole number/,
      ],
      [
        'an id that is not a slug',
        (p) => {
          p['id'] = 'NHS Choices';
        },
        /"NHS Choices" is invalid: id: must be lower-case words/,
      ],
      [
        'a last stage not marked final',
        (p) => {
          p['stages'][5].final = false;
        },
        /stages\[5\]\.final: the last stage must be marked final/,
      ],
      [
        'a final stage that is not last',
        (p) => {
          p['stages'][3].final = true;
        },
        /stages\[3\]\.final: only the last stage can be final/,
      ],
      [
        'an ombudsman missing from the directory',
        (p) => {
          p['ombudsman'].ombudsman = 'nobody';
        },
        /ombudsman\.ombudsman: "nobody" is not in the ombudsman directory/,
      ],
      [
        'two stages with one id',
        (p) => {
          p['stages'][3].id = 'stage-one';
        },
        /stages\[3\]\.id: "stage-one" is used twice/,
      ],
      [
        'an unknown citation source',
        (p) => {
          p['stages'][2].timeLimits[0].citation.source = 'blog';
        },
        /stages\[2\]\.timeLimits\[0\]\.citation\.source/,
      ],
      [
        'a misspelt field',
        (p) => {
          p['stages'][0].deadline = 30;
        },
        /stages\[0\]: Unrecognized key: "deadline"/,
      ],
      [
        'no stages',
        (p) => {
          p['stages'] = [];
        },
        /stages: a procedure needs at least one stage/,
      ],
      [
        'a later stage entered by lodging',
        (p) => {
          p['stages'][1].entry.by = 'lodging';
        },
        /stages\[1\]\.entry\.by: only the first stage is entered by lodging/,
      ],
      [
        'an empty handler description',
        (p) => {
          p['stages'][1].handler.description = '   ';
        },
        /stages\[1\]\.handler\.description: must not be empty/,
      ],
    ];
    for (const [name, mutate, message] of cases) {
      it(`rejects ${name}`, () => {
        const definition = clone(builtInRulebookData.procedures[0]) as Record<string, any>;
        mutate(definition);
        const data = { ...builtInRulebookData, procedures: [definition] };
        assert.throws(
          () => createRulebook(data),
          (error: unknown) => (error instanceof InvalidProcedureDefinition && message.test(error.message) ? true : assert.fail(String(error))),
        );
      });
    }

    it('rejects a chained time limit that names no earlier one, and an extension shorter than the limit', () => {
      const children = clone(builtInRulebookData.procedures[1]) as Record<string, any>;
      children['stages'][2].timeLimits[1].from.after = 'hearing';
      children['stages'][0].timeLimits[0].extension.upTo = 5;
      assert.throws(
        () => createRulebook({ ...builtInRulebookData, procedures: [children] }),
        /stages\[0\]\.timeLimits\[0\]\.extension\.upTo: must be more than the time limit itself \(10\).*stages\[2\]\.timeLimits\[1\]\.from\.after: must name an earlier time limit/,
      );
    });

    it('rejects a second procedure with an id already in use', () => {
      assert.throws(() => createRulebook(withProcedure(clone(builtInRulebookData.procedures[0]))), /id: "nhs-choices" is already used by another procedure/);
    });

    it('rejects a malformed ombudsman entry', () => {
      assert.throws(
        () => createRulebook({ ...builtInRulebookData, ombudsmen: [{ ...housingOmbudsman, website: 'not a url' }] }),
        /ombudsman housing-ombudsman.*website/,
      );
    });
  });
});

describe('who may complain for someone else under the NHS regulations (SI 2009/309 reg 5)', () => {
  it('checks a complaint for a child, and one for someone who may be a child, but not one for a known adult or for oneself', () => {
    const check = (personAffectedIsChild: boolean | null | undefined, relationship: 'parent' | 'self' = 'parent') => {
      const standing = policy.assessStanding({
        procedure: 'nhs-health',
        relationship,
        ...(personAffectedIsChild === undefined ? {} : { personAffectedIsChild }),
      });
      return standing.status === 'needs-decision' ? standing.check : null;
    };
    assert.equal(check(true), 'representative-for-child');
    assert.equal(check(null), 'representative-for-child', '"Not sure": staff check, and can clear it');
    assert.equal(check(undefined), 'representative-for-child', 'not known');
    assert.equal(check(false), null);
    assert.equal(check(null, 'self'), null);
  });
});
