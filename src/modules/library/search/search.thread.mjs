// The entry of a search thread: TypeScript runs through tsx's loader here as in the main thread
// (bin/cadre.js), whatever flags the process was started with.
import { register } from 'tsx/esm/api';

register();
await import('./search.thread.ts');
