import type { FastifyBaseLogger, FastifyLogFn } from 'fastify'

type ChildArgs = Parameters<FastifyBaseLogger['child']>
type LogArgs = Parameters<FastifyLogFn>

/**
 * A request logger whose pino child is built on first use. With the shared redaction list (wildcard paths), pino
 * spends ~3 µs serialising each child's bindings, on every request, while GET / logs nothing when it succeeds.
 * A class, not a factory: an object literal with accessors costs as much as the child it defers.
 */
class LazyLogger implements FastifyBaseLogger {
  readonly #parent: FastifyBaseLogger
  readonly #bindings: ChildArgs[0]
  readonly #options: ChildArgs[1]
  #child: FastifyBaseLogger | undefined

  constructor (parent: FastifyBaseLogger, bindings: ChildArgs[0], options: ChildArgs[1]) {
    this.#parent = parent
    this.#bindings = bindings
    this.#options = options
  }

  #real (): FastifyBaseLogger {
    return (this.#child ??= this.#parent.child(this.#bindings, this.#options))
  }

  get level () { return this.#real().level }
  set level (level) { this.#real().level = level }
  fatal (...args: LogArgs) { this.#real().fatal(...args) }
  error (...args: LogArgs) { this.#real().error(...args) }
  warn (...args: LogArgs) { this.#real().warn(...args) }
  info (...args: LogArgs) { this.#real().info(...args) }
  debug (...args: LogArgs) { this.#real().debug(...args) }
  trace (...args: LogArgs) { this.#real().trace(...args) }
  silent (...args: LogArgs) { this.#real().silent(...args) }
  child (...args: ChildArgs) { return this.#real().child(...args) }
}

/** Fastify's `childLoggerFactory`: a {@link LazyLogger} per request. */
export const lazyRequestLogger = (logger: FastifyBaseLogger, bindings: ChildArgs[0], options?: ChildArgs[1]): FastifyBaseLogger =>
  new LazyLogger(logger, bindings, options)
