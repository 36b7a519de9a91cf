// One of npm test's shards: a share of the test files, run one after the other in this process (test/helpers/shards.ts).
import { runShard } from '../helpers/shards.ts';

await runShard(import.meta.url);
