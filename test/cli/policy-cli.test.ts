import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPolicyCli } from '../../src/cli/policy.js';
import { policy } from '../helpers/policy.js';

const ROOT = join(__dirname, '..', '..', '..');

function run(...argv: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const status = runPolicyCli(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { status, stdout, stderr };
}

function json(...argv: string[]): Record<string, any> {
  const result = run(...argv);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Record<string, any>;
}

describe('npm run policy', () => {
  describe('procedures', () => {
    it('prints every procedure with its stages, handlers, time limits and citations as a table', () => {
      const { status, stdout } = run('procedures');
      assert.equal(status, 0);
      for (const procedure of policy.procedures()) {
        assert.ok(stdout.includes(`(${procedure.id})`), procedure.id);
        for (const stage of procedure.stages) {
          assert.ok(stdout.includes(stage.id), `${procedure.id}/${stage.id}`);
        }
      }
      assert.match(stdout, /Product Lead/);
      assert.match(stdout, /within 10/);
      assert.match(stdout, /\(up to 20 working days if/);
      assert.match(stdout, /\[law\] SI 2006\/1738 reg 19\(4\)/);
      assert.match(stdout, /calendar 2026-11-22\.\w+\+computed-2029, covering 2020-01-01 to 2029-12-31; published by GOV\.UK to 2028-12-31, computed/);
      assert.match(
        stdout,
        /Asking for Stage 2: Investigation: 20 working days: within 20 working days of the Stage 1 response, counted from the day it was sent\. \[secondary\]/,
      );
      assert.match(
        stdout,
        /Asking for Stage 3: Review Panel: 20 working days: within 20 working days of the Stage 2 response, counted from the day it was sent\. \[secondary\] SI 2006\/1738 reg 18/,
      );
      assert.match(stdout, /\.\.\.or at once when the previous response is overdue: If the Stage 1 response has not been given/);
      assert.match(
        stdout,
        /The LGSCO normally expects the council’s own complaints procedure to have finished first.*Sooner when the body is late: .*\[law\] Local Government Act 1974 s26\(5\)/,
      );
      assert.match(
        stdout,
        /12 months beginning with the day you first had notice of the matter, which the ombudsman may waive\. \[law\] Local Government Act 1974 s26B\(2\)/,
      );
    });

    it('puts the windows to ask for Stage 2 and Stage 3 in the JSON, with their counting and citations', () => {
      const output = json('procedures', '--json');
      const children = (
        output['procedures'] as {
          id: string;
          stages: {
            id: string;
            requestWithin: { amount: number; unit: string; counting: string; citation: { reference: string } } | null;
            whenPreviousResponseOverdue: { citation: { reference: string } } | null;
          }[];
        }[]
      ).find((procedure) => procedure.id === 'la-childrens-services');
      const [stage1, stage2, stage3] = children?.stages ?? [];
      assert.equal(stage1?.requestWithin, null);
      assert.deepEqual([stage2?.requestWithin?.amount, stage2?.requestWithin?.unit, stage2?.requestWithin?.counting], [20, 'working-days', 'after']);
      assert.match(stage3?.requestWithin?.citation.reference ?? '', /reg 18/);
      assert.match(stage2?.whenPreviousResponseOverdue?.citation.reference ?? '', /regs 14 and 17/);
    });

    it('prints JSON with stable procedure and stage ids for other programs', () => {
      const output = json('procedures', '--json');
      assert.equal(output['calendarVersion'], policy.calendar.version);
      const ids = (output['procedures'] as { id: string; stages: { id: string; position: number; handler: { role: string } }[] }[]).map((procedure) => [
        procedure.id,
        procedure.stages.map((stage) => stage.id),
      ]);
      assert.deepEqual(ids, [
        ['nhs-choices', ['service-desk', 'sme-response', 'stage-one', 'stage-two', 'stage-three', 'stage-four']],
        ['la-childrens-services', ['stage-1', 'stage-2', 'stage-3']],
        ['nhs-health', ['local-resolution']],
        ['la-corporate', ['stage-1', 'stage-2']],
        ['la-adult-social-care', ['council-response']],
      ]);
    });
  });

  describe('deadline', () => {
    it('prints one JSON object with the due London date, rule, citation and calendar version', () => {
      const output = json('deadline', '--procedure', 'la-childrens-services', '--stage', 'stage-1', '--received', '2025-12-22T11:00:00Z');
      assert.equal(output['due'], '2026-01-08');
      assert.equal(output['rule'].amount, 10);
      assert.match(output['citation'].reference, /reg 14/);
      assert.equal(output['calendarVersion'], policy.calendar.version);
      assert.equal(output['beyondCalendarCoverage'], false);
    });

    it('applies --extended where the procedure allows it', () => {
      assert.equal(json('deadline', '--procedure', 'la-childrens-services', '--stage', 'stage-2', '--received', '2025-06-02', '--extended')['rule'].amount, 65);
    });

    it('reads a London wall-clock time and a bare date as London dates', () => {
      assert.equal(json('deadline', '--procedure', 'nhs-choices', '--stage', 'stage-one', '--received', '2025-06-07T00:30')['start'].receivedOn, '2025-06-07');
      // A Saturday is day 0 itself: the count is not moved to Monday first.
      const saturday = json('deadline', '--procedure', 'nhs-choices', '--stage', 'stage-one', '--received', '2025-06-07');
      assert.equal(saturday['start'].countsFrom, '2025-06-07');
      assert.equal(saturday['counting'].convention, 'after');
    });
  });

  describe('next and others', () => {
    it('prints the next stage, or the ombudsman after the final stage', () => {
      assert.equal(json('next', '--procedure', 'la-childrens-services', '--stage', 'stage-2')['stage'].id, 'stage-3');
      const ombudsman = json('next', '--procedure', 'la-childrens-services', '--stage', 'stage-3', '--first-notice', '2025-04-03');
      assert.equal(ombudsman['kind'], 'ombudsman');
      assert.equal(ombudsman['advice'].ombudsman.id, 'lgsco');
      // 12 months beginning with 3 April 2025 end on 2 April 2026 (LGA 1974 s26B).
      assert.equal(ombudsman['advice'].window.closesOn, '2026-04-02');
      assert.equal(ombudsman['advice'].window.counting, 'beginning-with');
    });

    it('answers can-escalate and acknowledgement', () => {
      assert.equal(
        json('can-escalate', '--procedure', 'la-childrens-services', '--stage', 'stage-1', '--now', '2025-07-01T09:00', '--responded', '2025-06-02T15:00')[
          'reason'
        ],
        'window-passed',
      );
      assert.equal(json('acknowledgement', '--procedure', 'nhs-health', '--received', '2026-04-02T15:00')['due'], '2026-04-09');
      const overdue = json(
        'can-escalate',
        '--procedure',
        'la-childrens-services',
        '--stage',
        'stage-1',
        '--now',
        '2025-07-01T09:00',
        '--stage-started',
        '2025-06-02T10:00',
      );
      assert.deepEqual([overdue['allowed'], overdue['reason'], overdue['to'].id], [true, 'response-overdue', 'stage-2']);
      const agreed = json(
        'can-escalate',
        '--procedure',
        'nhs-health',
        '--stage',
        'local-resolution',
        '--now',
        '2025-08-01T09:00',
        '--stage-started',
        '2025-06-02T10:00',
        '--agreed-response-by',
        '2025-07-31',
      );
      assert.equal(agreed['overdue'], true);
      assert.equal(agreed['ombudsman'].timing.now, true);
    });
  });

  describe('mistakes exit non-zero with one clear line', () => {
    const cases: [string, string[], RegExp][] = [
      [
        'an unknown procedure',
        ['deadline', '--procedure', 'nhs-dentistry', '--stage', 'stage-1', '--received', '2025-04-03'],
        /Unknown procedure "nhs-dentistry"\. Known procedures: nhs-choices, la-childrens-services, nhs-health/,
      ],
      [
        'an unknown stage',
        ['next', '--procedure', 'nhs-choices', '--stage', 'stage-5'],
        /Procedure "nhs-choices" has no stage "stage-5"\. Its stages: service-desk/,
      ],
      [
        'an unparseable date',
        ['deadline', '--procedure', 'nhs-choices', '--stage', 'stage-one', '--received', '31/02/2025'],
        /--received: "31\/02\/2025" is not an ISO-8601 date or date-time/,
      ],
      [
        'an impossible ISO date',
        ['deadline', '--procedure', 'nhs-choices', '--stage', 'stage-one', '--received', '2025-02-31'],
        /--received: "2025-02-31" is not an ISO-8601/,
      ],
      ['a missing option', ['deadline', '--procedure', 'nhs-choices', '--stage', 'stage-one'], /--received is required/],
      ['an unknown option', ['deadline', '--procedure', 'nhs-choices', '--stage', 'stage-one', '--recieved', '2025-04-03'], /Unknown option '--recieved'/],
      ['an unknown command', ['deadlines'], /unknown command "deadlines"/],
      [
        'an extension the procedure does not allow',
        ['deadline', '--procedure', 'nhs-choices', '--stage', 'stage-one', '--received', '2025-04-03', '--extended'],
        /does not allow .* to be extended/,
      ],
      [
        'an agreed response date at a stage whose time limits are fixed',
        [
          'can-escalate',
          '--procedure',
          'la-childrens-services',
          '--stage',
          'stage-1',
          '--now',
          '2025-07-01T09:00',
          '--stage-started',
          '2025-06-02T10:00',
          '--agreed-response-by',
          '2025-07-31',
        ],
        /^policy: Stage "stage-1" of "la-childrens-services" has no response period agreed with the complainant; its time limits are fixed/,
      ],
      [
        'a bad cut-off',
        ['deadline', '--procedure', 'nhs-choices', '--stage', 'stage-one', '--received', '2025-04-03', '--cut-off', '5pm'],
        /--cut-off: "5pm" is not a time/,
      ],
      [
        'a bad first-notice date',
        ['next', '--procedure', 'nhs-choices', '--stage', 'stage-four', '--first-notice', 'last year'],
        /--first-notice: "last year" is not a date/,
      ],
      [
        'an option that belongs to another command',
        ['next', '--procedure', 'nhs-choices', '--stage', 'stage-one', '--received', '2025-04-03'],
        /next does not take --received/,
      ],
    ];
    for (const [name, argv, message] of cases) {
      it(`names ${name}`, () => {
        const result = run(...argv);
        assert.equal(result.status, 2);
        assert.equal(result.stdout, '');
        const lines = result.stderr.trimEnd().split('\n');
        assert.equal(lines.length, 1, result.stderr);
        assert.match(lines[0]!, message);
      });
    }
  });

  describe('as a newcomer runs it', () => {
    // The built CLI that `npm run policy` runs, spawned directly: through npm it would rebuild
    // dist/ while these tests run from it.
    const CLI = join(ROOT, 'dist', 'src', 'cli', 'policy.js');

    it('is what npm run policy runs, after building', () => {
      const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
      assert.equal(scripts['policy'], 'npm run -s build && node dist/src/cli/policy.js');
    });

    it('prints the deadline as JSON from a real process', () => {
      const result = spawnSync(
        process.execPath,
        [CLI, 'deadline', '--procedure', 'nhs-choices', '--stage', 'stage-one', '--received', '2026-12-24T10:00:00Z'],
        { cwd: ROOT, encoding: 'utf8' },
      );
      assert.equal(result.status, 0, result.stderr);
      const output = JSON.parse(result.stdout) as { due: string; calendarVersion: string };
      assert.equal(output.due, '2027-02-09');
      assert.equal(output.calendarVersion, policy.calendar.version);
    });

    it('exits with status 2 and one line for an unknown procedure', () => {
      const result = spawnSync(process.execPath, [CLI, 'next', '--procedure', 'nope', '--stage', 'x'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(result.status, 2);
      assert.match(result.stderr, /^policy: Unknown procedure "nope"/m);
    });
  });
});
