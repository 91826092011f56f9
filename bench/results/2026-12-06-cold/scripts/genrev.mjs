import { writeRetortProject } from '/work/wt-cold/dist/bench/retort-writer.js';
import { benchRevisions } from '/work/wt-cold/dist/bench/schema-spec.js';
writeRetortProject(process.argv[2], '/tmp/root-A', { revisions: benchRevisions(Number(process.argv[3]), 'mixed') });
