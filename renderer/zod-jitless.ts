/**
 * The renderer validates form fields with zod. By default zod probes once
 * whether it may compile code (`Function('')`) to parse faster; under the
 * page's CSP (no 'unsafe-eval') that probe is blocked and reported as a
 * violation. Tell zod not to try: it parses the same, without generated code.
 * Imported first by main.ts, before any schema parses.
 */
import { z } from 'zod';

z.config({ jitless: true });
