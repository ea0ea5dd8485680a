import { writeWorkflowBundle } from '../src/workflow-source';

// Usage: tsx apps/orchestrator/tools/bundle-workflows.ts <output directory>
const outputDirectory = process.argv[2];
if (!outputDirectory) {
  process.stderr.write('bundle-workflows: missing the output directory argument\n');
  process.exit(2);
}
writeWorkflowBundle(outputDirectory).then(
  (path) => process.stdout.write(`workflow bundle written to ${path}\n`),
  (error: unknown) => {
    process.stderr.write(`bundle-workflows: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
