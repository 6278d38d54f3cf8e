/** Renderer entry: zod without eval (the CSP forbids it), validation in words, then the components register; <softphone-app> in index.html does the rest. */
import './zod-jitless.ts';
import { installPlainWords } from './state/validation-words.ts';
import './components/softphone-app.ts';

installPlainWords();
