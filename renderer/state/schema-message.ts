/**
 * A shared schema's message (common/i18n/schema-words.ts) in the user's
 * language; any other text (zod's own, main's) is shown as it came.
 */
import { translateMarked } from '../../common/i18n/schema-words.ts';
import { t } from '../../common/i18n/index.ts';

export const schemaMessage = (message: string): string => translateMarked(message, t);
