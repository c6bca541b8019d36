// Which Debian packages setup would install: decided by the binaries present on this machine.
import { describe, expect, it } from 'vitest';
import { DEBIAN_PACKAGES, missingDebianPackages } from '../../../scripts/tools/debian-packages.ts';

describe('DEBIAN_PACKAGES', () => {
  it('lists each package once, each with a binary that proves it', () => {
    const names = DEBIAN_PACKAGES.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const required of ['redis-server', 'postgresql', 'prometheus', 'influxdb', 'coturn', 'iproute2', 'procps']) {
      expect(names).toContain(required);
    }
    for (const p of DEBIAN_PACKAGES) expect(p.binary.length).toBeGreaterThan(0);
  });
});

describe('missingDebianPackages', () => {
  it('reports a package whose binary is absent, by PATH name or absolute path', async () => {
    const missing = await missingDebianPackages([
      { name: 'procps', binary: 'ps' },
      { name: 'not-a-package', binary: 'gomeet-no-such-binary-4711' },
      { name: 'not-at-path', binary: '/nonexistent/bin/tool' },
      // /usr/sbin is searched even when PATH lacks it (daemons live there).
      { name: 'sh-by-path', binary: '/bin/sh' },
    ]);
    expect(missing.map((p) => p.name)).toEqual(['not-a-package', 'not-at-path']);
  });
});
