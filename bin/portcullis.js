#!/usr/bin/env node
// The `portcullis` command. Portcullis runs its TypeScript directly on Node 24; when an older Node runs this
// file (npx on a machine whose own Node is older), hand over to the Node 24 the project installs.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))
const major = Number(process.versions.node.split('.')[0])
if (major >= 24) {
  await import(cli)
} else {
  const node = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url))
  const result = spawnSync(node, [cli, ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exit(result.status ?? 1)
}
