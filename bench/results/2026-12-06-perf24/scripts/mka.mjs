import { writeAlembicProject } from '/work/wt-perf24/dist/bench/alembic-writer.js';
import { benchRevisions } from '/work/wt-perf24/dist/bench/schema-spec.js';
writeAlembicProject(process.argv[2], { revisions: benchRevisions(Number(process.argv[3]), 'mixed') });
