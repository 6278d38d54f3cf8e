/**
 * Opens the microphone and camera, and turns the browser's exceptions into
 * messages a user can act on.
 */

export class MediaAccessError extends Error {
  constructor(
    message: string,
    readonly kind: 'denied' | 'not-found' | 'in-use' | 'other',
  ) {
    super(message);
    this.name = 'MediaAccessError';
  }
}

export function describeMediaError(error: unknown, wantVideo: boolean): MediaAccessError {
  const name = (error as { name?: string })?.name;
  const what = wantVideo ? 'microphone or camera' : 'microphone';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new MediaAccessError(`Permission to use the ${what} was denied.`, 'denied');
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new MediaAccessError(
        wantVideo ? 'No camera or microphone was found. Try an audio call, or connect a device.' : 'No microphone was found. Connect one to make calls.',
        'not-found',
      );
    case 'NotReadableError':
    case 'AbortError':
      return new MediaAccessError(`The ${what} is in use by another program or could not be started.`, 'in-use');
    default:
      return new MediaAccessError(`Could not open the ${what}: ${(error as Error)?.message ?? String(error)}`, 'other');
  }
}

export async function openLocalMedia(video: boolean): Promise<MediaStream> {
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: true, video });
  } catch (error) {
    throw describeMediaError(error, video);
  }
}

export async function openCamera(): Promise<MediaStreamTrack> {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true });
    return stream.getVideoTracks()[0]!;
  } catch (error) {
    throw describeMediaError(error, true);
  }
}
