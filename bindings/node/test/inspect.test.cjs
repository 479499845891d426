// `inspect` through `require`: the report's shape, a few findings end to end (the core's tests
// cover each finding), the shared nested-message case, redaction and argument checks.
'use strict'
const assert = require('node:assert/strict')
const { readFileSync } = require('node:fs')
const { join } = require('node:path')
const { test } = require('node:test')

const { Keyring, Token, inspect } = require('outbound-token')

const OPAQUE = 'otk_test_7Qm2VwXr9LpZ4sKd'
// Enough of the token that a finding showing it would be caught; the redacted form shows only
// the prefix and the last four characters.
const SECRET = OPAQUE.slice(4, 20)
const CASES = join(__dirname, '..', '..', '..', 'crates', 'outbound-token', 'tests', 'data', 'cases')

/** A message with `fields` on top of a plain header. */
const message = (fields, body = 'Hi\r\n') =>
  Buffer.from(`${fields}From: a@acme.example\r\nTo: b@example.org\r\nSubject: s\r\n\r\n${body}`)

function acmeKeyring() {
  const keyring = new Keyring()
  keyring.addTenant('acme', 'Acme Corp')
  keyring.addToken('acme', Token.opaque(OPAQUE))
  return keyring
}

/** `inspect`, checking the report's shape and that no finding shows the token. */
function checked(input, options) {
  const report = inspect(input, options)
  assert.deepEqual(Object.keys(report).sort(), ['findings', 'ok', 'severity', 'tenant', 'tokenFields'])
  assert.ok(Array.isArray(report.findings))
  const order = ['info', 'warning', 'error']
  for (const finding of report.findings) {
    assert.deepEqual(Object.keys(finding).sort(), ['code', 'message', 'severity'])
    assert.match(finding.code, /^[a-z]+(-[a-z]+)*$/)
    assert.ok(order.includes(finding.severity), finding.severity)
    assert.equal(typeof finding.message, 'string')
    assert.ok(!finding.message.includes(SECRET), `${finding.code} shows the token`)
  }
  const worst = report.findings.reduce((max, f) => Math.max(max, order.indexOf(f.severity)), 0)
  assert.equal(report.severity, order[worst])
  assert.equal(report.ok, report.severity !== 'error')
  return report
}

const codes = (report) => report.findings.map((f) => [f.code, f.severity])

test('a repeated header is an error', () => {
  const report = checked(message(`X-Vipre-Tenant-Key: ${OPAQUE}\r\nX-Vipre-Tenant-Key: ${OPAQUE}\r\n`))
  assert.deepEqual(report.findings[0].code, 'token-repeated')
  assert.deepEqual(report.findings[0].severity, 'error')
  assert.match(report.findings[0].message, /appears 2 times/)
  assert.equal(report.tokenFields, 2)
  assert.equal(report.severity, 'error')
  assert.equal(report.ok, false)
  assert.equal(report.tenant, null)
})

test('a clean message with a keyring names its tenant', () => {
  const report = checked(message(`X-Vipre-Tenant-Key: ${OPAQUE}\r\n`), { keyring: acmeKeyring() })
  assert.deepEqual(codes(report), [
    ['token-present', 'info'],
    ['token-opaque', 'info'],
    ['token-known', 'info'],
  ])
  assert.match(report.findings[2].message, /otk_…4sKd belongs to tenant 'acme'/)
  assert.equal(report.tokenFields, 1)
  assert.equal(report.tenant, 'acme')
  assert.equal(report.severity, 'info')
  assert.equal(report.ok, true)
})

test('options are optional, and each one counts', () => {
  const input = message(`X-Other: ${OPAQUE}\r\n`)
  for (const options of [undefined, null, {}, { keyring: undefined, header: undefined, now: undefined }]) {
    const report = checked(input, options)
    assert.deepEqual(codes(report), [['token-missing', 'error']])
    assert.equal(report.tokenFields, 0)
  }
  const other = checked(input, { header: 'x-other', keyring: acmeKeyring() })
  assert.equal(other.tenant, 'acme')
  assert.ok(other.ok)
  assert.ok(other.findings.every((f) => !f.message.includes('X-Vipre-Tenant-Key')))

  const keyring = acmeKeyring()
  const stamped = message(`X-Vipre-Tenant-Key: ${OPAQUE}\r\n`)
  const unknown = checked(stamped, { keyring: new Keyring() })
  assert.ok(unknown.findings.some((f) => f.code === 'token-unknown' && f.severity === 'error'))
  assert.equal(unknown.tenant, null)

  // After a rotation the old token is retiring until its grace period ends: `now` decides.
  keyring.rotate('acme', Token.generate(), new Date('2026-01-01T00:00:00Z'), 24)
  const retiring = checked(stamped, { keyring, now: new Date('2026-01-01T12:00:00Z') })
  assert.ok(retiring.findings.some((f) => f.code === 'token-retiring' && f.severity === 'warning'))
  assert.equal(retiring.severity, 'warning')
  assert.equal(retiring.ok, true)
  const expired = checked(stamped, { keyring, now: new Date('2026-01-03T00:00:00Z') })
  assert.ok(expired.findings.some((f) => f.code === 'token-expired' && f.severity === 'error'))
  assert.equal(expired.ok, false)
  assert.equal(expired.tenant, 'acme')
})

test('shared case 29: token fields inside attached messages', () => {
  const input = readFileSync(join(CASES, '29-token-field-inside-nested-message.eml'))
  const report = checked(input, { keyring: acmeKeyring() })
  const nested = report.findings.filter((f) => f.code === 'token-field-in-attachment')
  assert.deepEqual(nested.map((f) => f.severity), ['warning', 'warning'])
  assert.match(nested[0].message, /attached message/)
  assert.match(nested[1].message, /text\/rfc822-headers/)
  for (const inner of ['InnerJournal0001', 'InnerNDRHeader01']) {
    assert.ok(report.findings.every((f) => !f.message.includes(inner)), `${inner} shown`)
  }
  assert.equal(report.tokenFields, 1)
  assert.equal(report.tenant, 'acme')
  assert.equal(report.severity, 'warning')
  assert.equal(report.ok, true)
})

test('no finding shows the token, wherever it is', () => {
  const inputs = [
    message(`X-Vipre-Tenant-Key: "${OPAQUE}"\r\n`),
    message(`X-Vipre-Tenant-Key:   ${OPAQUE} \r\n`),
    message(`X-Vipre-Tenant-Key: ${OPAQUE}\u200b\r\n`),
    message(`X-Vipre-Tenant-Key: ${OPAQUE.slice(0, -1)}\r\n`),
    message(`X-Vipre-Tenant-Kee: ${OPAQUE}\r\n`),
    message(`X-Vipre-Tenant-Key: ${OPAQUE}\r\n`, `Your key is ${OPAQUE}\r\n`),
  ]
  for (const input of inputs) {
    const report = checked(input, { keyring: acmeKeyring() })
    assert.ok(report.findings.length > 0)
  }
  const leaked = checked(message(`X-Vipre-Tenant-Key: ${OPAQUE}\r\n`, `Your key is ${OPAQUE}\r\n`))
  assert.ok(leaked.findings.some((f) => f.code === 'token-in-body' && f.severity === 'error'))
})

test('an invalid header name throws ERR_INVALID_HEADER_NAME', () => {
  assert.throws(() => inspect(message(''), { header: 'Bad Name:' }), { code: 'ERR_INVALID_HEADER_NAME' })
})

test('wrong argument types throw TypeError, never quoting the value', () => {
  const wrong = [
    () => inspect(OPAQUE),
    () => inspect(undefined),
    () => inspect([1, 2, 3]),
    () => inspect(new Uint16Array(2)),
    () => inspect(message(''), OPAQUE),
    () => inspect(message(''), [OPAQUE]),
    () => inspect(message(''), new Date()),
    () => inspect(message(''), { keyring: OPAQUE }),
    () => inspect(message(''), { keyring: null }),
    () => inspect(message(''), { header: null }),
    () => inspect(message(''), { now: null }),
    () => inspect(message(''), { keyring: {} }),
    () => inspect(message(''), { keyring: Token.opaque(OPAQUE) }),
    () => inspect(message(''), { header: 42 }),
    () => inspect(message(''), { header: Buffer.from(OPAQUE) }),
    () => inspect(message(''), { now: Date.now() }),
    () => inspect(message(''), { now: OPAQUE }),
  ]
  for (const fn of wrong) {
    let caught
    assert.throws(fn, (error) => {
      caught = error
      return error instanceof TypeError && error.code === 'ERR_INVALID_ARG_TYPE'
    }, `${fn}`)
    assert.ok(!caught.message.includes(OPAQUE), `${fn} quotes the token`)
  }
  assert.throws(() => inspect(message(''), { now: new Date(Number.NaN) }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' })
})
