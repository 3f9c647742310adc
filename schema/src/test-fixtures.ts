import type { ReportInput } from './report.js';

/** A valid report that each test bends into the shape it needs. */
export function validReport(): ReportInput {
  return {
    reportId: 'r-0123456789abcdef',
    agentVersion: '0.1.0',
    host: { hostname: 'web-1', os: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1.0-18-amd64', arch: 'x64' },
    collectedAt: '2026-11-27T10:00:00.000Z',
    solutions: [
      {
        id: 'clamav',
        version: '1.0.7',
        detectedBy: ['package', 'binary'],
        configuration: { MaxFileSize: '25M', ScanArchive: true, 'jails.enabled': ['sshd', 'nginx'] },
        metrics: { signatures: 8_700_000, databaseAgeHours: 3 },
        tests: [{ id: 'eicar-detected', type: 'security', passed: true, message: 'EICAR detected', durationMs: 812 }],
        errors: [],
      },
    ],
  };
}
