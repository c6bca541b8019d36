// Which ICE candidates Chromium gathers in this network namespace: two RTCPeerConnections in one
// page connect to each other; the page reports every candidate, the ICE state, the selected pair and
// the camera permission state (the flags decide it; nothing calls getUserMedia).
import { browser } from 'k6/browser';
import { setTimeout } from 'k6/timers';

export const options = {
  scenarios: { gather: { executor: 'shared-iterations', iterations: 1, maxDuration: '60s', options: { browser: { type: 'chromium' } } } },
  systemTags: ['scenario'],
};

export default async function () {
  const page = await browser.newPage();
  try {
    await page.goto(__ENV.PAGE_URL);
    const out = await page.evaluate(async () => {
      const camera = (await navigator.permissions.query({ name: 'camera' })).state;
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      const candidates = [];
      a.onicecandidate = (e) => e.candidate && (candidates.push(e.candidate.candidate), b.addIceCandidate(e.candidate));
      b.onicecandidate = (e) => e.candidate && (candidates.push(e.candidate.candidate), a.addIceCandidate(e.candidate));
      a.createDataChannel('x');
      await a.setLocalDescription();
      await b.setRemoteDescription(a.localDescription);
      await b.setLocalDescription();
      await a.setRemoteDescription(b.localDescription);
      const until = Date.now() + 8000;
      while (a.iceConnectionState !== 'connected' && a.iceConnectionState !== 'completed' && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      let pair = null;
      const stats = await a.getStats();
      stats.forEach((s) => {
        if (s.type === 'transport' && s.selectedCandidatePairId) {
          const p = stats.get(s.selectedCandidatePairId);
          pair = { local: stats.get(p.localCandidateId).address, remote: stats.get(p.remoteCandidateId).address };
        }
      });
      a.close();
      b.close();
      return JSON.stringify({ camera, candidates, pair });
    });
    console.log(`GATHERED ${out}`);
  } finally {
    await page.close();
  }
}
