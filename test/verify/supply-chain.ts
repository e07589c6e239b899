import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { synthTierdesk } from '#test/infra/synth';
import { Failures, type VerifyPromise } from './promise.ts';

/**
 * Supply chain: the production dependencies carry no high or critical advisory (`npm audit
 * --omit=dev`), and the synthesized stack has no unacknowledged cdk-nag (AwsSolutions) finding.
 * Where the registry offers no advisory service (a mirror that answers 405), the audit is
 * reported as unavailable — never as passed.
 */

const run = promisify(execFile);

interface AuditReport {
  metadata?: { vulnerabilities?: Record<string, number> };
}

const audit = async (): Promise<{ report?: AuditReport; unavailable?: string }> => {
  try {
    const { stdout } = await run('npm', ['audit', '--omit=dev', '--json'], { maxBuffer: 64 * 1024 * 1024 });
    return { report: JSON.parse(stdout) as AuditReport };
  } catch (error) {
    // npm exits 1 when it found vulnerabilities: its report is on stdout all the same.
    const { stdout = '' } = error as { stdout?: string };
    const parsed = (() => {
      try {
        return JSON.parse(stdout) as AuditReport & { message?: string };
      } catch {
        return undefined;
      }
    })();
    if (parsed?.metadata) return { report: parsed };
    return { unavailable: parsed?.message ?? (error as Error).message.split('\n')[0] };
  }
};

export const supplyChain: VerifyPromise = {
  name: 'supply-chain',
  async run() {
    const failures = new Failures();
    const synthesis = synthTierdesk();
    const findings = synthesis.findings;
    synthesis.dispose();
    for (const finding of findings) failures.add(`cdk-nag: ${JSON.stringify(finding).slice(0, 200)}`);

    const { report, unavailable } = await audit();
    const counts = report?.metadata?.vulnerabilities ?? {};
    const severe = (counts.high ?? 0) + (counts.critical ?? 0);
    if (severe > 0)
      failures.add(`npm audit: ${counts.high ?? 0} high, ${counts.critical ?? 0} critical advisories`);
    const auditLine = report
      ? `npm audit --omit=dev: ${Object.entries(counts)
          .filter(([level]) => level !== 'total')
          .map(([level, count]) => `${count} ${level}`)
          .join(', ')}`
      : `npm audit UNAVAILABLE (${unavailable})`;
    return {
      figures: `cdk-nag: ${findings.length} unacknowledged findings; ${auditLine}`,
      ...failures.report(),
      ...(unavailable && { unavailable: `npm audit could not reach an advisory service: ${unavailable}` }),
    };
  },
};
