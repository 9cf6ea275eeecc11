import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { listenSettings } from '@entra-s2s/shared'
import { repoRoot } from '../helpers/start-service.js'

export const services = ['entra-emulator', 'resource-api', 'client-api'] as const

function sourceFiles (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
}

/**
 * The settings a service reads, found in its source: the keys of its config schema (and the shared listen
 * settings when it spreads them), plus any `env.NAME` / `env['NAME']` access anywhere in src.
 */
export function settingsReadBy (service: string): Set<string> {
  const src = join(repoRoot, 'services', service, 'src')
  const names = new Set<string>()
  const config = readFileSync(join(src, 'config.ts'), 'utf8')
  for (const [, name] of config.matchAll(/^\s*(?:readonly\s+)?([A-Z][A-Z0-9_]*)\??:/gm)) names.add(name!)
  if (config.includes('...listenSettings')) Object.keys(listenSettings).forEach((name) => names.add(name))
  for (const file of sourceFiles(src)) {
    for (const [, dotted, quoted] of readFileSync(file, 'utf8').matchAll(/\benv(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g)) names.add((dotted ?? quoted)!)
  }
  return names
}
