import type { Faults } from './faults.js'
import type { KeyStore } from './key-store.js'
import type { Stats } from './stats.js'
import type { IssuerDeps } from './token-issuer.js'

/** What the route plugins share: the issuer's collaborators, counters, faults and the issuer base URL. */
export interface EmulatorContext extends IssuerDeps {
  readonly keys: KeyStore
  readonly stats: Stats
  readonly faults: Faults
  /** Scheme, host and port tokens and documents name: EMULATOR_PUBLIC_URL, or https://localhost:<bound port>. */
  readonly issuerBase: () => string
}
