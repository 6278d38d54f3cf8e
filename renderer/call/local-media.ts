/**
 * Opens the microphone and camera, and turns the browser's exceptions into
 * messages a user can act on.
 */
import { t } from '../../common/i18n/index.ts';

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
  const what = wantVideo ? t('microphone or camera') : t('microphone');
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new MediaAccessError(t('Permission to use the {{device}} was denied.', { device: what }), 'denied');
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new MediaAccessError(
        wantVideo ? t('No camera or microphone was found. Try an audio call, or connect a device.') : t('No microphone was found. Connect one to make calls.'),
        'not-found',
      );
    case 'NotReadableError':
    case 'AbortError':
      return new MediaAccessError(t('The {{device}} is in use by another program or could not be started.', { device: what }), 'in-use');
    default:
      return new MediaAccessError(t('Could not open the {{device}}: {{reason}}', { device: what, reason: (error as Error)?.message ?? String(error) }), 'other');
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
