import { readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'

/** One markdown table of a scenario, with the notes that explain it. */
export interface Section {
  readonly title: string
  readonly columns: readonly string[]
  readonly rows: ReadonlyArray<readonly string[]>
  readonly notes: readonly string[]
}

/** A target from the issue, checked against this run. */
export interface TargetCheck {
  readonly what: string
  readonly goal: string
  readonly value: string
  readonly met: boolean
}

export interface MachineFacts {
  readonly date: string
  readonly node: string
  readonly cpu: string
  readonly cores: number
  readonly loadAtStart: readonly number[]
  readonly versions: string
}

// Installed versions of what the figures depend on (the client-api pins its own MSAL Node).
const VERSIONED = [
  'fastify', 'fast-jwt', 'undici', 'autocannon', 'express', 'passport-azure-ad', 'jsonwebtoken', 'jwks-rsa', 'jose',
  'fastify-jwt-jwks', 'services/client-api/node_modules/@azure/msal-node'
]

function installedVersion (path: string): string {
  const dir = path.startsWith('services/') ? path : `node_modules/${path}`
  try {
    const { version } = JSON.parse(readFileSync(new URL(`../../${dir}/package.json`, import.meta.url), 'utf8')) as { version: string }
    return `${path.replace(/^.*node_modules\//, '')} ${version}`
  } catch {
    return `${path} (not installed)`
  }
}

export function machineFacts (): MachineFacts {
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    loadAtStart: loadavg(),
    versions: VERSIONED.map(installedVersion).join(', ')
  }
}

const loadText = (load: readonly number[]) => load.map((n) => n.toFixed(2)).join(' / ')

export function table (section: Section): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`
  return [
    `### ${section.title}`,
    '',
    line(section.columns),
    line(section.columns.map(() => '---')),
    ...section.rows.map(line),
    ...(section.notes.length > 0 ? ['', ...section.notes.map((note) => `- ${note}`)] : [])
  ].join('\n')
}

export function renderReport (facts: MachineFacts, method: string, checks: readonly TargetCheck[], sections: readonly Section[], elapsedS: number): string {
  const targets: Section = {
    title: 'Targets',
    columns: ['target', 'goal', 'this run', 'met'],
    rows: checks.map((c) => [c.what, c.goal, c.value, c.met ? 'yes' : '**no**']),
    notes: []
  }
  return [
    '# entra-s2s benchmarks: latest run',
    '',
    `- date: ${facts.date}; whole run ${elapsedS.toFixed(0)} s`,
    `- node ${facts.node}; CPU ${facts.cpu}, ${facts.cores} cores (shared)`,
    `- versions: ${facts.versions}`,
    `- load average (1/5/15 min) at start: ${loadText(facts.loadAtStart)}; at end: ${loadText(loadavg())}`,
    `- method: ${method}`,
    '',
    ...(checks.length > 0 ? [table(targets), ''] : []),
    ...sections.flatMap((section) => [table(section), ''])
  ].join('\n')
}

export const fixed = (value: number, digits = 0): string => Number.isFinite(value) ? value.toFixed(digits) : 'n/a'
