/** What ICE chose for the page's newest call: the candidate types of the selected pair. */
import type { Page } from '@playwright/test';

export interface SelectedPair {
  local: string | null;
  remote: string | null;
}

export async function selectedCandidatePair(page: Page): Promise<SelectedPair> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    const pc = pcs[pcs.length - 1];
    if (!pc) return { local: null, remote: null };
    const reports = new Map<string, Record<string, unknown>>();
    (await pc.getStats()).forEach((report) => reports.set(report.id, report));
    const transport = [...reports.values()].find((r) => r.type === 'transport' && r.selectedCandidatePairId);
    const pair = transport ? reports.get(transport.selectedCandidatePairId as string) : undefined;
    const type = (id: unknown) => (typeof id === 'string' ? ((reports.get(id)?.candidateType as string | undefined) ?? null) : null);
    return { local: type(pair?.localCandidateId), remote: type(pair?.remoteCandidateId) };
  });
}
