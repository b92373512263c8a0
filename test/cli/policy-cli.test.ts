import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runPolicyCli } from '../../src/cli/policy.js';
import { policy } from '../helpers/policy.js';

const ROOT = join(__dirname, '..', '..', '..');

function run(...argv: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const status = runPolicyCli(argv, { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; } });
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
      assert.match(stdout, /calendar 2026-11-22\.\w+, covering 2020-01-01 to 2028-12-31/);
    });

    it('prints JSON with stable procedure and stage ids for other programs', () => {
      const output = json('procedures', '--json');
      assert.equal(output['calendarVersion'], policy.calendar.version);
      const ids = (output['procedures'] as { id: string; stages: { id: string; position: number; handler: { role: string } }[] }[])
        .map((procedure) => [procedure.id, procedure.stages.map((stage) => stage.id)]);
      assert.deepEqual(ids, [
        ['nhs-choices', ['service-desk', 'sme-response', 'stage-one', 'stage-two', 'stage-three', 'stage-four']],
        ['la-childrens-services', ['stage-1', 'stage-2', 'stage-3']],
        ['nhs-health', ['local-resolution']],
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
      assert.equal(json('deadline', '--procedure', 'nhs-choices', '--stage', 'stage-one', '--received', '2025-06-07')['start'].countsFrom, '2025-06-09');
    });
  });

  describe('next and others', () => {
    it('prints the next stage, or the ombudsman after the final stage', () => {
      assert.equal(json('next', '--procedure', 'la-childrens-services', '--stage', 'stage-2')['stage'].id, 'stage-3');
      const ombudsman = json('next', '--procedure', 'la-childrens-services', '--stage', 'stage-3', '--first-notice', '2025-04-03');
      assert.equal(ombudsman['kind'], 'ombudsman');
      assert.equal(ombudsman['advice'].ombudsman.id, 'lgsco');
      assert.equal(ombudsman['advice'].window.closesOn, '2026-04-03');
    });

    it('answers can-escalate and acknowledgement', () => {
      assert.equal(json('can-escalate', '--procedure', 'la-childrens-services', '--stage', 'stage-1', '--now', '2025-07-01T09:00', '--responded', '2025-06-02T15:00')['reason'], 'window-passed');
      assert.equal(json('acknowledgement', '--procedure', 'nhs-health', '--received', '2026-04-02T15:00')['due'], '2026-04-09');
    });
  });

  describe('mistakes exit non-zero with one clear line', () => {
    const cases: [string, string[], RegExp][] = [
      ['an unknown procedure', ['deadline', '--procedure', 'nhs-dentistry', '--stage', 'stage-1', '--received', '2025-04-03'], /Unknown procedure "nhs-dentistry"\. Known procedures: nhs-choices, la-childrens-services, nhs-health/],
      ['an unknown stage', ['next', '--procedure', 'nhs-choices', '--stage', 'stage-5'], /Procedure "nhs-choices" has no stage "stage-5"\. Its stages: service-desk/],
      ['an unparseable date', ['deadline', '--procedure', 'nhs-choices', '--stage', 'stage-one', '--received', '31/02/2025'], /--received: "31\/02\/2025" is not an ISO-8601 date or date-time/],
      ['an impossible ISO date', ['deadline', '--procedure', 'nhs-choices', '--stage', 'stage-one', '--received', '2025-02-31'], /--received: "2025-02-31" is not an ISO-8601/],
      ['a missing option', ['deadline', '--procedure', 'nhs-choices', '--stage', 'stage-one'], /--received is required/],
      ['an unknown option', ['deadline', '--procedure', 'nhs-choices', '--stage', 'stage-one', '--recieved', '2025-04-03'], /Unknown option '--recieved'/],
      ['an unknown command', ['deadlines'], /unknown command "deadlines"/],
      ['an extension the procedure does not allow', ['deadline', '--procedure', 'nhs-choices', '--stage', 'stage-one', '--received', '2025-04-03', '--extended'], /does not allow .* to be extended/],
      ['a bad cut-off', ['deadline', '--procedure', 'nhs-choices', '--stage', 'stage-one', '--received', '2025-04-03', '--cut-off', '5pm'], /--cut-off: "5pm" is not a time/],
      ['a bad first-notice date', ['next', '--procedure', 'nhs-choices', '--stage', 'stage-four', '--first-notice', 'last year'], /--first-notice: "last year" is not a date/],
      ['an option that belongs to another command', ['next', '--procedure', 'nhs-choices', '--stage', 'stage-one', '--received', '2025-04-03'], /next does not take --received/],
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
    it('works through npm run policy, as the README says', function () {
      this.timeout(60_000);
      const result = spawnSync('npm', ['run', '-s', 'policy', '--', 'deadline', '--procedure', 'nhs-choices', '--stage', 'stage-one', '--received', '2026-12-24T10:00:00Z'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      const output = JSON.parse(result.stdout) as { due: string; calendarVersion: string };
      assert.equal(output.due, '2027-02-09');
      assert.equal(output.calendarVersion, policy.calendar.version);
    });

    it('exits non-zero with one line through npm for an unknown procedure', function () {
      this.timeout(60_000);
      const result = spawnSync('npm', ['run', '-s', 'policy', '--', 'next', '--procedure', 'nope', '--stage', 'x'], { cwd: ROOT, encoding: 'utf8' });
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /^policy: Unknown procedure "nope"/m);
    });
  });
});
