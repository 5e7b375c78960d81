import { z } from 'zod';

// The desk's CSP has no 'unsafe-eval': zod 4 probes `new Function` when its first object schema is
// built (to compile fast parsers), and Chromium reports that probe as a CSP violation even though zod
// catches it. Jitless parsing never probes; the desk's objects are small, so the JIT gains nothing.
// main.tsx imports this module first, before any module that builds a schema.
z.config({ jitless: true });
