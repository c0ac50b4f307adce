/** Prebuilds the workflow bundle for production images: `tsx worker/build-bundle.ts dist/workflow-bundle.js`. */
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from './bundle-options';

async function main(out = 'dist/workflow-bundle.js') {
  const { code } = await bundleWorkflowCode(workflowBundleOptions());
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, code);
  console.log(`wrote ${out} (${code.length} bytes)`);
}

main(process.argv[2]).catch((err) => {
  console.error(err);
  process.exit(1);
});
