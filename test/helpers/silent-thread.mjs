// A thread that starts and then never answers (test/checkpoints.test.ts): a stop must not wait for it forever.
import { setInterval } from 'node:timers';

setInterval(() => {}, 1000);
