/**
 * Validation messages in words for the user. A schema that says what is
 * wrong in its own words keeps them; every other check the renderer runs
 * (zod's defaults read "Too small: expected string to have >=1 characters")
 * says it in plain language instead. Installed once, for the renderer only:
 * main and the server keep zod's own wording in their logs.
 */
import { z } from 'zod';
import { t } from '../../common/i18n/index.ts';

type Issue = z.core.$ZodRawIssue;

export function plainWords(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? t('This cannot be empty') : t('Use at least {{min}} characters', { min });
      if (issue.origin === 'array' || issue.origin === 'set') return min <= 1 ? t('Add at least one') : t('Add at least {{min}}', { min });
      return issue.inclusive === false ? t('Use more than {{min}}', { min }) : t('Use at least {{min}}', { min });
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return t('Use at most {{max}} characters', { max });
      if (issue.origin === 'array' || issue.origin === 'set') return t('There can be at most {{max}}', { max });
      return issue.inclusive === false ? t('Use less than {{max}}', { max }) : t('Use at most {{max}}', { max });
    }
    case 'invalid_type':
      return issue.input === undefined || issue.input === '' ? t('This is needed') : t('This is not the right kind of value');
    case 'invalid_format':
      return issue.format === 'regex' ? t('This has characters that cannot be used here') : t('This is not written the way it should be');
    case 'invalid_value':
      return issue.values.length <= 6 ? t('Choose one of: {{values}}', { values: issue.values.map(String).join(', ') }) : t('Choose one of the offered values');
    case 'not_multiple_of':
      return t('Use a multiple of {{n}}', { n: String(issue.divisor) });
    case 'unrecognized_keys':
      return t('This has fields that are not known');
    default:
      return t('This value cannot be used');
  }
}

export function installPlainWords(): void {
  z.config({ customError: plainWords });
}
