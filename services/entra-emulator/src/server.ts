import { runService } from '@entra-s2s/shared'
import { buildApp } from './app.js'
import { loadConfig } from './config.js'

await runService({ name: 'entra-emulator', loadConfig, buildApp: (config) => buildApp(config) })
