/** The caller as responses show it. Serialization drops anything not listed, so no claim leaks by accident. */
export const callerSchema = {
  type: 'object',
  properties: {
    appId: { type: 'string' },
    tenantId: { type: 'string' },
    objectId: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    tokenVersion: { type: 'string', enum: ['1.0', '2.0'] }
  },
  required: ['appId', 'tenantId', 'objectId', 'roles', 'tokenVersion'],
  additionalProperties: false
} as const

/** One day of forecast, as accepted in POST bodies and returned by GET. */
export const forecastEntrySchema = {
  type: 'object',
  properties: {
    date: { type: 'string', format: 'date' },
    temperatureC: { type: 'integer', minimum: -90, maximum: 60 },
    summary: { type: 'string', minLength: 1, maxLength: 64 }
  },
  required: ['date', 'temperatureC', 'summary'],
  additionalProperties: false
} as const

/** RFC 9457 problem bodies, for every 4xx and 5xx a route can answer. */
export const problemSchema = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' }
  },
  required: ['type', 'title', 'status', 'code']
} as const

export const errorResponses = { '4xx': problemSchema, '5xx': problemSchema } as const
