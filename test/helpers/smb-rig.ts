// The loopback SMB rig (two clients of one Samba share). .ci/run starts it and exports its paths;
// in CI a missing rig is an error, locally the SMB tests are skipped unless the rig is up.
export interface SmbRig {
  pc1: string;
  pc2: string;
  server: string;
}

export function smbRig(): SmbRig | null {
  const pc1 = process.env.SMB_RIG_PC1;
  const pc2 = process.env.SMB_RIG_PC2;
  const server = process.env.SMB_RIG_SERVER_DIR;
  if (pc1 && pc2 && server) return { pc1, pc2, server };
  if (process.env.CI === 'true')
    throw new Error('CI runs without the SMB rig: .ci/run must start it (see .ci/run).');
  return null;
}

/**
 * A size or a deadline factor of an SMB test, from the environment. The defaults suit the FUSE rig;
 * CI runs the same tests once more on the kernel SMB3 client in a guest whose syscalls are ~10×
 * slower, with fewer stations and rounds and longer deadlines (see .ci/smb-vm and docs/sessions-and-leases.md).
 */
export function envSize(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}=${raw} is not a number of 0 or more`);
  return value;
}

/** Multiplies the deadlines of the SMB tests (PACKDESK_SMB_SLOWDOWN, default 1). */
export const smbSlowdown = (): number => envSize('PACKDESK_SMB_SLOWDOWN', 1);
