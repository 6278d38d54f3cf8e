/**
 * What a call to main failed with, in the words main used: Electron puts
 * "Error invoking remote method 'saveAccount': Error: " in front of the
 * message, which means nothing to a user.
 */
export function remoteErrorText(error: unknown): string {
  return error instanceof Error ? error.message.replace(/^Error invoking remote method '[^']+': (Error: )?/, '') : String(error);
}
