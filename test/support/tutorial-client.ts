/**
 * A browser client that speaks the signaling protocol exactly as the MDN
 * "signaling and video calling" tutorial's client does: no call ids, no
 * ringing, ICE candidates without a sender name, answers every offer at once.
 * Written here in our own words to prove the softphone stays wire-compatible.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TutorialClientState {
  signedInAs: string | null;
  pcState: string;
  remoteVideoWidth: number;
  hangUpsReceived: number;
}

const PAGE = '<!doctype html><title>tutorial client</title><video id="remote" autoplay muted></video>';

let pageServer: Promise<string> | null = null;

/**
 * The origin the tutorial page is served from: one loopback HTTP server per
 * test process. Chromium's local-network checks refuse a WebSocket to
 * 127.0.0.1 from a page that was not served from loopback, and our server
 * refuses pages from origins it was not told to allow: the signaling
 * server fixture allows this one.
 */
export function tutorialPageOrigin(): Promise<string> {
  pageServer ??= new Promise((resolve) => {
    const http = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
    http.listen(0, '127.0.0.1', () => {
      http.unref();
      resolve(`http://127.0.0.1:${(http.address() as AddressInfo).port}`);
    });
  });
  return pageServer;
}

/** Opens the client on the tutorial page (see tutorialPageOrigin). */
export async function openTutorialClient(context: BrowserContext, serverUrl: string, name: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${await tutorialPageOrigin()}/`);
  await page.evaluate(runTutorialClient, { serverUrl, name });
  return page;
}

/** Runs in the page. */
function runTutorialClient({ serverUrl, name }: { serverUrl: string; name: string }): Promise<void> {
  const state = { signedInAs: null as string | null, pcState: 'none', remoteVideoWidth: 0, hangUpsReceived: 0 };
  const socket = new WebSocket(serverUrl, 'json');
  let pc: RTCPeerConnection | null = null;
  let target: string | null = null;
  let myName = name;
  const send = (message: object) => socket.send(JSON.stringify(message));
  const video = document.getElementById('remote') as HTMLVideoElement;
  video.addEventListener('resize', () => (state.remoteVideoWidth = video.videoWidth));

  async function makePeer(): Promise<RTCPeerConnection> {
    const peer = new RTCPeerConnection({ iceServers: [] });
    peer.onicecandidate = (event) => {
      if (event.candidate) send({ type: 'new-ice-candidate', target, candidate: event.candidate });
    };
    peer.ontrack = (event) => (video.srcObject = event.streams[0] ?? null);
    peer.onconnectionstatechange = () => (state.pcState = peer.connectionState);
    const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    media.getTracks().forEach((track) => peer.addTrack(track, media));
    return peer;
  }

  function close(): void {
    pc?.getSenders().forEach((s) => s.track?.stop());
    pc?.close();
    state.pcState = 'closed';
    pc = null;
    target = null;
  }

  (window as unknown as { tutorial: object }).tutorial = {
    state,
    async invite(who: string) {
      target = who;
      pc = await makePeer();
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      send({ name: myName, target, type: 'video-offer', sdp: pc.localDescription });
    },
    hangUp() {
      send({ name: myName, target, type: 'hang-up' });
      close();
    },
  };

  return new Promise((resolve) => {
    socket.onmessage = async (event) => {
      const msg = JSON.parse(event.data);
      switch (msg.type) {
        case 'id':
          send({ name, date: Date.now(), id: msg.id, type: 'username' });
          break;
        case 'rejectusername':
          myName = msg.name;
          break;
        case 'userlist':
          state.signedInAs = myName;
          resolve();
          break;
        case 'video-offer': {
          target = msg.name;
          pc = await makePeer();
          await pc.setRemoteDescription(new RTCSessionDescription(msg.sdp));
          await pc.setLocalDescription(await pc.createAnswer());
          send({ name: myName, target, type: 'video-answer', sdp: pc.localDescription });
          break;
        }
        case 'video-answer':
          await pc?.setRemoteDescription(new RTCSessionDescription(msg.sdp));
          break;
        case 'new-ice-candidate':
          await pc?.addIceCandidate(new RTCIceCandidate(msg.candidate));
          break;
        case 'hang-up':
          state.hangUpsReceived++;
          close();
          break;
      }
    };
  });
}

export function tutorialState(page: Page): Promise<TutorialClientState> {
  return page.evaluate(() => (window as unknown as { tutorial: { state: TutorialClientState } }).tutorial.state);
}
