import { writeRetortProject } from '/work/wt-perf24/dist/bench/retort-writer.js';
import { benchRevisions } from '/work/wt-perf24/dist/bench/schema-spec.js';
const [dir, root, m] = process.argv.slice(2);
writeRetortProject(dir, root, { revisions: benchRevisions(Number(m), 'mixed') });
