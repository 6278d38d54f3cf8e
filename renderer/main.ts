/** Renderer entry: validation speaks in words, then the components register; <softphone-app> in index.html does the rest. */
import { installPlainWords } from './state/validation-words.ts';
import './components/softphone-app.ts';

installPlainWords();
