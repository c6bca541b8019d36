/**
 * The werift PeerConnection every bot uses: loopback only, no STUN/TURN, the codecs LiveKit forwards
 * (VP8, Opus) with the feedback a browser would send (NACK, PLI, transport-wide CC), and one DTLS
 * certificate per process (generating one per PeerConnection costs more than the whole join).
 *
 * Loopback only: inside the media namespace the only interface is `lo`, which ICE stacks skip, so
 * 127.0.0.1 is added explicitly, sockets bind to it, and any candidate pair with another address is
 * refused — a pair that is not 127.0.0.1 on both ends can never be nominated.
 */
import {
  createSelfSignedCertificate,
  HashAlgorithm,
  NamedCurveAlgorithm,
  SignatureAlgorithm,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  useNACK,
  usePLI,
  useSdesMid,
  useTransportWideCC,
  useTWCC,
  type RTCPeerConnectionConfig,
} from 'werift';

/** The only address media may use. */
export const LOOPBACK = '127.0.0.1';

type DtlsKeys = Awaited<ReturnType<typeof createSelfSignedCertificate>>;
let keys: Promise<DtlsKeys> | undefined;

/** ECDSA P-256 / SHA-256, as browsers use; made once per process. */
function processKeys(): Promise<DtlsKeys> {
  keys ??= createSelfSignedCertificate({ hash: HashAlgorithm.sha256_4, signature: SignatureAlgorithm.ecdsa_3 }, NamedCurveAlgorithm.secp256r1_23);
  return keys;
}

export function isLoopbackAddress(address: string | undefined): boolean {
  return address === LOOPBACK;
}

export interface BotPeerOptions {
  /** Negotiate transport-wide congestion control feedback (default true, as browsers do). werift
   *  sends a TWCC report per receiver every 10 packets and every 100 ms: about a third of a
   *  subscriber bot's CPU. Off, the SFU gets no bandwidth feedback from this bot (NACK/PLI stay). */
  transportCc?: boolean;
}

export async function createBotPeer(opts: BotPeerOptions = {}): Promise<RTCPeerConnection> {
  const twcc = opts.transportCc !== false;
  const config: RTCPeerConnectionConfig = {
    iceServers: [],
    iceAdditionalHostAddresses: [LOOPBACK],
    iceInterfaceAddresses: { udp4: LOOPBACK },
    iceUseIpv6: false,
    iceUseIpv4: true,
    bundlePolicy: 'max-bundle',
    iceFilterCandidatePair: (pair) => isLoopbackAddress(pair.localCandidate.host) && isLoopbackAddress(pair.remoteCandidate.host),
    dtls: { keys: await processKeys() },
    codecs: {
      video: [
        new RTCRtpCodecParameters({
          mimeType: 'video/VP8',
          clockRate: 90_000,
          payloadType: 96,
          rtcpFeedback: twcc ? [useNACK(), usePLI(), useTWCC()] : [useNACK(), usePLI()],
        }),
      ],
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48_000, channels: 2, payloadType: 111, rtcpFeedback: twcc ? [useTWCC()] : [] })],
    },
    headerExtensions: {
      video: twcc ? [useSdesMid(), useTransportWideCC()] : [useSdesMid()],
      audio: twcc ? [useSdesMid(), useTransportWideCC()] : [useSdesMid()],
    },
  };
  return new RTCPeerConnection(config);
}
