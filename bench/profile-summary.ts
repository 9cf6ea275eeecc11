import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { repoRoot } from './lib/processes.js'

// Summarises a V8 .cpuprofile (from `npm run bench -- --profile <dir>`): self time by function and by package.

interface ProfileNode {
  id: number
  callFrame: { functionName: string, url: string, lineNumber: number }
  hitCount?: number
}
interface Profile { nodes: ProfileNode[], startTime: number, endTime: number, samples: number[], timeDeltas: number[] }

const [file, topArg] = process.argv.slice(2)
if (!file) throw new Error('usage: node --import=tsx bench/profile-summary.ts <file.cpuprofile> [top]')
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((node) => [node.id, node]))

// Time per sample is the delta to the next sample, as Chrome DevTools counts it.
const selfUs = new Map<number, number>()
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0)))
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0)

const where = (url: string) => {
  if (!url) return '(native)'
  const path = url.replace(/^file:\/\//, '')
  return path.startsWith('/') ? relative(repoRoot, path) : path
}
const packageOf = (url: string) => {
  const path = where(url)
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)
  if (match) return match[1]!
  if (path.startsWith('node:')) return 'node (internal)'
  if (path.startsWith('services/') || path.startsWith('shared/')) return path.split('/').slice(0, 2).join('/')
  return path === '(native)' ? '(native: GC, idle, program)' : path
}

const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us)
const byFunction = new Map<string, number>()
const byPackage = new Map<string, number>()
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame
  add(byFunction, `${functionName || '(anonymous)'}  ${where(url)}:${lineNumber + 1}`, us)
  add(byPackage, packageOf(url), us)
}

const top = Number(topArg ?? 25)
const show = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`)
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((us / totalUs) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`)
  }
}
console.log(`${file}: ${(totalUs / 1000).toFixed(0)} ms sampled`)
show('self time by package', byPackage)
show('self time by function', byFunction)
