/**
 * `user add NAME [--service]`, `user remove NAME`, `user list`: manage the
 * accounts file of a server that runs with --accounts. A running server
 * picks the changes up by itself.
 */
import { AccountStore } from './accounts.ts';
import { readNewPassword } from './password-prompt.ts';

export const USER_USAGE = `Usage:
  user add NAME [--service] --accounts FILE   password typed twice (or the first line of stdin)
  user remove NAME --accounts FILE
  user list --accounts FILE`;

export interface UserCommand {
  action: string | undefined;
  name: string | undefined;
  accountsFile: string | undefined;
  service: boolean;
  extra: string[];
}

/** Runs the command; returns the exit code. Output for people goes to stdout, problems to stderr. */
export async function runUserCommand(command: UserCommand): Promise<number> {
  const fail = (message: string) => {
    process.stderr.write(`${message}\n`);
    return 1;
  };
  if (!command.accountsFile) return fail(`Which accounts file? Give --accounts FILE.\n${USER_USAGE}`);
  if (command.extra.length > 0) return fail(`Unexpected argument "${command.extra[0]}".\n${USER_USAGE}`);
  let store: AccountStore;
  try {
    store = await AccountStore.open(command.accountsFile);
  } catch (error) {
    return fail((error as Error).message);
  }
  try {
    switch (command.action) {
      case 'add': {
        if (!command.name) return fail(`user add needs a NAME.\n${USER_USAGE}`);
        const password = await readNewPassword();
        const account = await store.add(command.name, password, { service: command.service });
        process.stdout.write(`Added ${account.service ? 'service account' : 'account'} "${account.name}" to ${store.file}\n`);
        return 0;
      }
      case 'remove': {
        if (!command.name) return fail(`user remove needs a NAME.\n${USER_USAGE}`);
        if (!(await store.remove(command.name))) return fail(`There is no account "${command.name}" in ${store.file}`);
        process.stdout.write(`Removed "${command.name}" from ${store.file}\n`);
        return 0;
      }
      case 'list': {
        if (command.name) return fail(`user list takes no NAME.\n${USER_USAGE}`);
        for (const account of store.list()) process.stdout.write(`${account.name}${account.service ? ' (service)' : ''}\n`);
        return 0;
      }
      default:
        return fail(`Unknown user command "${command.action ?? ''}".\n${USER_USAGE}`);
    }
  } catch (error) {
    return fail((error as Error).message);
  }
}
