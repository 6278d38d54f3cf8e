/**
 * SDP that came over SIP, made fit for the renderer's RTCPeerConnection.
 */

/**
 * Without its `a=ssrc` and `a=ssrc-group` lines (RFC 5576).
 *
 * A browser binds the remote track of an m-line to the SSRCs declared there:
 * RTP with any other SSRC is decoded but never played. SIP far ends switch
 * sources without a new offer or answer, e.g. the announcement or ringback
 * a PBX or carrier plays in early media comes from its media server and the
 * answered call from the phone, each with its own SSRC. Without the
 * declarations the browser plays the newest stream of the m-line, as a SIP
 * phone plays whatever arrives on its port.
 */
export function sdpFromSip(sdp: string): string {
  return sdp.replace(/^a=ssrc(?:-group)?:[^\r\n]*(?:\r\n|\n|$)/gm, '');
}
