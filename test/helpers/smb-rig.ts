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
