/** Renderer entry: registers the components; <softphone-app> in index.html does the rest. */
import './components/softphone-app.ts';
