import { styleText } from 'node:util'

const levels = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' }
const levelStyles = { warn: 'yellow', error: 'red', fatal: 'red' }
const nameStyles = ['cyan', 'magenta', 'green', 'blue']
const TIME_WIDTH = ' '.repeat('00:00:00.000 '.length)
const hidden = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'err'])

/**
 * A compact, readable rendering of pino JSON lines, prefixed with the service name:
 * `12:00:01.234 resource-api    info  token rejected reason=missing_role appid=…`. Lines that are not JSON
 * (stderr, a crash) are printed as they are. With `json: true` every line is printed raw, only prefixed.
 */
export function createLogPrinter ({ names, color, json = false, write = (line) => process.stdout.write(line + '\n') }) {
  const width = Math.max(...names.map((name) => name.length))
  const paint = (style, text) => (color && style ? styleText(style, text) : text)
  const prefixes = new Map(names.map((name, i) => [name, paint(nameStyles[i % nameStyles.length], name.padEnd(width))]))

  return function print (name, line) {
    const prefix = prefixes.get(name) ?? name.padEnd(width)
    const entry = json ? undefined : parse(line)
    if (!entry) return write(`${json ? '' : TIME_WIDTH}${prefix}  ${line}`)
    const level = levels[entry.level] ?? String(entry.level)
    const text = entry.msg ?? ''
    const extras = Object.entries(entry).filter(([field]) => !hidden.has(field)).map(([field, value]) => `${field}=${render(value)}`)
    if (entry.err) extras.push(`err=${render(entry.err.message ?? entry.err)}`)
    const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) + ' ' : ''
    write(`${time}${prefix}  ${paint(levelStyles[level], level.padEnd(5))} ${[text, ...extras].join(' ')}`)
    if (entry.err?.stack && entry.level >= 50) write(entry.err.stack.replace(/^/gm, '    '))
  }
}

function parse (line) {
  if (!line.startsWith('{')) return undefined
  try {
    const entry = JSON.parse(line)
    return typeof entry === 'object' && entry !== null && 'level' in entry ? entry : undefined
  } catch {
    return undefined
  }
}

function render (value) {
  return typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)
}
