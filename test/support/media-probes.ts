/** What a user would notice about media, read from the page: playing video, flowing audio and video. */
import type { Page } from '@playwright/test';

export interface InboundTotals {
  audioBytes: number;
  /** Loudest inbound audio right now, 0..1 (getStats audioLevel). */
  audioLevel: number;
  /** Each inbound audio stream by its source (SSRC): a far end may switch sources, e.g. from early media to the answered call. */
  audioStreams: Array<{ ssrc: number; level: number }>;
  videoBytes: number;
  framesDecoded: number;
}

/** Inbound RTP totals of the page's newest peer connection. */
export async function inboundTotals(page: Page): Promise<InboundTotals> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    const pc = pcs[pcs.length - 1];
    const totals = { audioBytes: 0, audioLevel: 0, audioStreams: [] as Array<{ ssrc: number; level: number }>, videoBytes: 0, framesDecoded: 0 };
    if (!pc) return totals;
    (await pc.getStats()).forEach((report) => {
      if (report.type !== 'inbound-rtp') return;
      if (report.kind === 'audio') {
        totals.audioBytes += report.bytesReceived ?? 0;
        totals.audioLevel = Math.max(totals.audioLevel, report.audioLevel ?? 0);
        totals.audioStreams.push({ ssrc: report.ssrc, level: report.audioLevel ?? 0 });
      }
      if (report.kind === 'video') {
        totals.videoBytes += report.bytesReceived ?? 0;
        totals.framesDecoded += report.framesDecoded ?? 0;
      }
    });
    return totals;
  });
}

/** Size of the picture the labelled video element is showing (0x0 when none). */
export async function videoSize(page: Page, label: string): Promise<{ width: number; height: number }> {
  return page.getByLabel(label).evaluate((video: HTMLVideoElement) => ({ width: video.videoWidth, height: video.videoHeight }));
}

export async function peerConnectionStates(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections.map((pc) => pc.connectionState),
  );
}

/**
 * Whether the labelled video shows a picture from the 4:3 fake camera. The size
 * itself may drop below 640x480: WebRTC scales video down when the CPU is busy.
 */
export async function showsCameraPicture(page: Page, label: string): Promise<boolean> {
  const { width, height } = await videoSize(page, label);
  return width > 0 && Math.abs(width / height - 4 / 3) < 0.01;
}

/** Start recording every track getUserMedia hands out in the page, to see later which are still capturing. */
export async function recordCaptures(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __captures: MediaStreamTrack[] };
    w.__captures = [];
    const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await getUserMedia(constraints);
      w.__captures.push(...stream.getTracks());
      return stream;
    };
  });
}

/** Recorded captures (of one kind, or all): how many were opened, and the labels of those still live. */
export async function captures(page: Page, kind?: 'audio' | 'video'): Promise<{ opened: number; live: string[] }> {
  return page.evaluate((k) => {
    const tracks = (window as unknown as { __captures: MediaStreamTrack[] }).__captures.filter((t) => !k || t.kind === k);
    return { opened: tracks.length, live: tracks.filter((t) => t.readyState === 'live').map((t) => t.label) };
  }, kind);
}
