/**
 * Validation messages in words for the user. A schema that says what is
 * wrong in its own words keeps them; every other check the renderer runs
 * (zod's defaults read "Too small: expected string to have >=1 characters")
 * says it in plain language instead. Installed once, for the renderer only:
 * main and the server keep zod's own wording in their logs.
 */
import { z } from 'zod';

type Issue = z.core.$ZodRawIssue;

export function plainWords(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? 'This cannot be empty' : `Use at least ${min} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return min <= 1 ? 'Add at least one' : `Add at least ${min}`;
      return `Use ${issue.inclusive === false ? 'more than' : 'at least'} ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `Use at most ${max} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `There can be at most ${max}`;
      return `Use ${issue.inclusive === false ? 'less than' : 'at most'} ${max}`;
    }
    case 'invalid_type':
      return issue.input === undefined || issue.input === '' ? 'This is needed' : 'This is not the right kind of value';
    case 'invalid_format':
      return issue.format === 'regex' ? 'This has characters that cannot be used here' : 'This is not written the way it should be';
    case 'invalid_value':
      return issue.values.length <= 6 ? `Choose one of: ${issue.values.map(String).join(', ')}` : 'Choose one of the offered values';
    case 'not_multiple_of':
      return `Use a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return 'This has fields that are not known';
    default:
      return 'This value cannot be used';
  }
}

export function installPlainWords(): void {
  z.config({ customError: plainWords });
}
