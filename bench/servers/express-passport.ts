import express from 'express'
import passport from 'passport'
import { BearerStrategy } from 'passport-azure-ad'
import { createServer } from 'node:http'
import { once } from 'node:events'
import { announce, FORECAST_PATH, hasRole, peerSettings } from './common.js'
import { callerFrom, forecastBody } from './forecast.js'

// Peer: Express + passport-azure-ad BearerStrategy (deprecated by Microsoft, still widely deployed).
const settings = peerSettings()
passport.use(new BearerStrategy({
  identityMetadata: settings.metadataUrl,
  clientID: settings.audience,
  audience: settings.audience,
  validateIssuer: true,
  issuer: settings.issuer,
  loggingLevel: 'error',
  loggingNoPII: true
}, (claims, done) => done(null, claims, claims)))

const app = express()
app.use(passport.initialize())
app.get(FORECAST_PATH, passport.authenticate('oauth-bearer', { session: false }), (req, res) => {
  const claims = req.authInfo as Record<string, unknown>
  if (!hasRole(claims)) res.status(403).json({ error: 'insufficient_scope' })
  else res.json(forecastBody(callerFrom(claims)))
})

const server = createServer(app).listen(0, '127.0.0.1')
await once(server, 'listening')
announce(server)
