import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto'
import { accessSync, constants, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { SettingsError } from '@entra-s2s/shared'

/** The client's credential. Serialises as its kind only, so a stray log line cannot carry the secret. */
export type Credential =
  | { readonly kind: 'secret', readonly secret: string }
  | { readonly kind: 'certificate', readonly privateKey: string, readonly thumbprintSha256: string, readonly x5c: string | undefined }
  | { readonly kind: 'federated', readonly tokenFile: string }

/** The credential settings, as read from the environment. */
export interface CredentialSettings {
  readonly AZURE_CLIENT_SECRET?: string
  readonly AZURE_CLIENT_SECRET_FILE?: string
  readonly AZURE_CLIENT_CERTIFICATE_PATH?: string
  readonly AZURE_CLIENT_CERTIFICATE_PASSWORD?: string
  readonly AZURE_CLIENT_SEND_CERTIFICATE_CHAIN?: boolean
  readonly AZURE_FEDERATED_TOKEN_FILE?: string
}

/** A credential that was fine at start cannot be read now (the federated token file). */
export class CredentialError extends Error {
  readonly code = 'credential_unavailable'
  constructor (message: string) {
    super(message)
    this.name = 'CredentialError'
  }
}

const credentialSettings = ['AZURE_CLIENT_SECRET', 'AZURE_CLIENT_SECRET_FILE', 'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_FEDERATED_TOKEN_FILE'] as const
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

const sealed = <C extends Credential>(credential: C): C =>
  Object.freeze(Object.defineProperty(credential, 'toJSON', { value: () => ({ kind: credential.kind }) }))

function readSettingFile (setting: string, path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    throw new SettingsError(setting, `${setting} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): expected a readable ${what}`)
  }
}

function privateKeyOf (pem: string, password: string | undefined): KeyObject {
  const setting = password === undefined ? 'AZURE_CLIENT_CERTIFICATE_PATH' : 'AZURE_CLIENT_CERTIFICATE_PASSWORD'
  let key: KeyObject
  try {
    key = createPrivateKey({ key: pem, format: 'pem', ...(password === undefined ? {} : { passphrase: password }) })
  } catch {
    const hint = /ENCRYPTED/.test(pem) && password === undefined ? ' (the key is encrypted: set AZURE_CLIENT_CERTIFICATE_PASSWORD)' : ''
    throw new SettingsError(setting, `${setting} is invalid: expected a PEM private key that can be read${password === undefined ? '' : ' with this password'}${hint}`)
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new SettingsError('AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_CLIENT_CERTIFICATE_PATH is invalid: expected an RSA private key (Entra signs client assertions with RS256/PS256)')
  }
  return key
}

function certificateCredential (path: string, password: string | undefined, sendChain: boolean): Credential {
  const pem = readSettingFile('AZURE_CLIENT_CERTIFICATE_PATH', path, 'PEM file holding the private key and its certificate')
  const key = privateKeyOf(pem, password)
  const certificates = (pem.match(PEM_CERTIFICATE) ?? []).map((block) => new X509Certificate(block))
  const leaf = certificates.find((certificate) => certificate.checkPrivateKey(key))
  if (leaf === undefined) {
    throw new SettingsError('AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_CLIENT_CERTIFICATE_PATH is invalid: expected a PEM file holding the certificate that matches its private key')
  }
  const chain = [leaf, ...certificates.filter((certificate) => certificate !== leaf)]
  return sealed({
    kind: 'certificate',
    privateKey: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    thumbprintSha256: leaf.fingerprint256.replaceAll(':', '').toLowerCase(),
    x5c: sendChain ? chain.map((certificate) => certificate.toString()).join('\n') : undefined
  })
}

/**
 * Builds the one credential the settings name: a client secret (inline or from a file), a certificate
 * (PEM with key and certificate; SHA-256 thumbprint; optional x5c chain) or a federated token file, which is
 * checked now and read again at every acquisition. Throws a {@link SettingsError} naming the setting.
 */
export function loadCredential (settings: CredentialSettings): Credential {
  const given = credentialSettings.filter((name) => settings[name] !== undefined)
  if (given.length !== 1) {
    const found = given.length === 0 ? 'none is set' : `${given.join(' and ')} are set`
    throw new SettingsError(given[1] ?? credentialSettings[0], `exactly one of ${credentialSettings.join(', ')} must be set: ${found}`)
  }
  if (settings.AZURE_CLIENT_CERTIFICATE_PASSWORD !== undefined && settings.AZURE_CLIENT_CERTIFICATE_PATH === undefined) {
    throw new SettingsError('AZURE_CLIENT_CERTIFICATE_PASSWORD', 'AZURE_CLIENT_CERTIFICATE_PASSWORD is set without AZURE_CLIENT_CERTIFICATE_PATH')
  }
  if (settings.AZURE_CLIENT_SECRET !== undefined) return sealed({ kind: 'secret', secret: settings.AZURE_CLIENT_SECRET })
  if (settings.AZURE_CLIENT_SECRET_FILE !== undefined) {
    const secret = readSettingFile('AZURE_CLIENT_SECRET_FILE', settings.AZURE_CLIENT_SECRET_FILE, 'file holding the client secret').trim()
    if (!secret) throw new SettingsError('AZURE_CLIENT_SECRET_FILE', 'AZURE_CLIENT_SECRET_FILE is invalid: expected a file holding the client secret, not an empty one')
    return sealed({ kind: 'secret', secret })
  }
  if (settings.AZURE_CLIENT_CERTIFICATE_PATH !== undefined) {
    return certificateCredential(settings.AZURE_CLIENT_CERTIFICATE_PATH, settings.AZURE_CLIENT_CERTIFICATE_PASSWORD,
      settings.AZURE_CLIENT_SEND_CERTIFICATE_CHAIN === true)
  }
  const tokenFile = settings.AZURE_FEDERATED_TOKEN_FILE as string
  try {
    accessSync(tokenFile, constants.R_OK)
  } catch (err) {
    throw new SettingsError('AZURE_FEDERATED_TOKEN_FILE', `AZURE_FEDERATED_TOKEN_FILE cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): expected a readable file holding a client assertion (JWT)`)
  }
  return sealed({ kind: 'federated', tokenFile })
}

/** Reads the federated client assertion afresh: the platform rotates the file (as Azure workload identity does). */
export async function readFederatedToken (tokenFile: string): Promise<string> {
  let assertion: string
  try {
    assertion = (await readFile(tokenFile, 'utf8')).trim()
  } catch (err) {
    throw new CredentialError(`the federated token file cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  if (!assertion) throw new CredentialError('the federated token file is empty')
  return assertion
}
