/** Renderer entry: registers the components; <softphone-app> in index.html does the rest. */
import './zod-jitless.ts';
import './components/softphone-app.ts';
