import { runService } from '@entra-s2s/shared'
import { buildApp } from './app.js'
import { loadConfig } from './config.js'

await runService({ name: 'client-api', loadConfig, buildApp })
