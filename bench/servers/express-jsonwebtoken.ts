import express from 'express'
import jwt from 'jsonwebtoken'
import jwksRsa from 'jwks-rsa'
import { createServer } from 'node:http'
import { once } from 'node:events'
import { announce, bearerToken, FORECAST_PATH, hasRole, peerSettings } from './common.js'
import { callerFrom, forecastBody } from './forecast.js'

// Peer: Express + jsonwebtoken + jwks-rsa, the Microsoft `protect-api` sample's stack (jwks-rsa caches keys).
const settings = peerSettings()
const jwks = jwksRsa({ jwksUri: settings.jwksUrl, cache: true })
const getKey: jwt.GetPublicKeyOrSecret = (header, callback) => {
  jwks.getSigningKey(header.kid).then((key) => callback(null, key.getPublicKey()), (err: Error) => callback(err))
}

const app = express()
app.get(FORECAST_PATH, (req, res) => {
  const token = bearerToken(req.headers.authorization)
  if (!token) {
    res.status(401).json({ error: 'unauthorized' })
    return
  }
  jwt.verify(token, getKey, { issuer: settings.issuer, audience: settings.audience, algorithms: ['RS256'] }, (err, claims) => {
    if (err || !claims || typeof claims === 'string') res.status(401).json({ error: 'invalid_token' })
    else if (!hasRole(claims)) res.status(403).json({ error: 'insufficient_scope' })
    else res.json(forecastBody(callerFrom(claims)))
  })
})

const server = createServer(app).listen(0, '127.0.0.1')
await once(server, 'listening')
announce(server)
