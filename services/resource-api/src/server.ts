import { runService } from '@entra-s2s/shared'
import { loadConfig } from './config.js'
import { buildApp } from './app.js'

await runService({ name: 'resource-api', loadConfig, buildApp })
