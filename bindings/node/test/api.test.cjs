// The API through `require`: arguments, errors and their codes, redaction, tokens, keyrings,
// verification options, async variants.
'use strict'
const assert = require('node:assert/strict')
const { timingSafeEqual } = require('node:crypto')
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs')
const { tmpdir } = require('node:os')
const { join } = require('node:path')
const { test } = require('node:test')
const { inspect } = require('node:util')

const {
  DEFAULT_HEADER,
  Keyring,
  MasterKey,
  Token,
  find,
  setHeader,
  strip,
  stripAsync,
  verify,
  verifyAsync,
  inspect: inspectMessage,
} = require('outbound-token')

const OPAQUE = 'otk_test_7Qm2VwXr9LpZ4sKd'
const MESSAGE = Buffer.from(`From: a@example.com\r\nX-Vipre-Tenant-Key: ${OPAQUE}\r\nTo: b@example.org\r\n\r\nHi\r\n`)
const STRIPPED = Buffer.from('From: a@example.com\r\nTo: b@example.org\r\n\r\nHi\r\n')

/** A message stamped with `token`. */
const stamped = (token) => setHeader(STRIPPED, token.exposeSecret())

/** Asserts that `fn` throws an `Error` with `code` whose message holds none of `secrets`. */
function throwsCode(fn, code, ...secrets) {
  let caught
  assert.throws(fn, (error) => {
    caught = error
    return error instanceof Error && error.code === code
  }, `expected ${code}`)
  for (const secret of secrets) assert.ok(!caught.message.includes(secret), `${code} quotes a secret`)
  return caught
}

function acmeKeyring() {
  const keyring = new Keyring()
  keyring.addTenant('acme', 'Acme Corp')
  keyring.addToken('acme', Token.opaque(OPAQUE))
  return keyring
}

test('find reports name, token and span', () => {
  const fields = find(MESSAGE)
  assert.equal(fields.length, 1)
  const [field] = fields
  assert.equal(field.name, 'X-Vipre-Tenant-Key')
  assert.ok(Buffer.isBuffer(field.token))
  assert.equal(field.token.toString('latin1'), OPAQUE)
  assert.deepEqual(MESSAGE.subarray(field.start, field.end), Buffer.from(`X-Vipre-Tenant-Key: ${OPAQUE}\r\n`))
  assert.deepEqual(find(MESSAGE, 'to').map((f) => f.name), ['To'])
  assert.deepEqual(find(STRIPPED), [])
})

test('find reports names as Latin-1 and tokens as raw bytes', () => {
  const message = Buffer.from('X-Vipre-Tenant-Key: caf\xe9\xff\r\n\r\n', 'latin1')
  const [field] = find(message)
  assert.deepEqual(field.token, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0xff]))
})

test('strip, setHeader and DEFAULT_HEADER', () => {
  assert.equal(DEFAULT_HEADER, 'X-Vipre-Tenant-Key')
  assert.deepEqual(strip(MESSAGE), STRIPPED)
  assert.deepEqual(strip(MESSAGE, 'x-vipre-tenant-key'), STRIPPED)
  assert.deepEqual(strip(MESSAGE, 'X-Other'), MESSAGE)
  assert.ok(Buffer.isBuffer(strip(MESSAGE)))
  const stampedMessage = setHeader(Buffer.from('To: b@example.org\nX-Vipre-Tenant-Key: old\n\nHi\n'), 'otk_new')
  assert.equal(stampedMessage.toString(), 'X-Vipre-Tenant-Key: otk_new\nTo: b@example.org\n\nHi\n')
  assert.equal(setHeader(STRIPPED, 'v', 'X-Other').toString().split('\r\n')[0], 'X-Other: v')
})

test('Uint8Array inputs, including subarrays with an offset', async () => {
  const backing = Buffer.concat([Buffer.from('garbage\r\n'), MESSAGE, Buffer.from('trailing')])
  const view = new Uint8Array(backing.buffer, backing.byteOffset + 9, MESSAGE.length)
  const sub = backing.subarray(9, 9 + MESSAGE.length)
  for (const input of [view, sub, new Uint8Array(MESSAGE)]) {
    assert.deepEqual(strip(input), STRIPPED)
    assert.deepEqual(await stripAsync(input), STRIPPED)
    const [field] = find(input)
    assert.equal(field.token.toString(), OPAQUE)
    assert.equal(field.start, 'From: a@example.com\r\n'.length)
    assert.equal(verify(input, acmeKeyring()).verdict, 'authenticated')
    assert.equal((await verifyAsync(input, acmeKeyring())).verdict, 'authenticated')
    assert.equal(setHeader(input, 'x').toString().split('\r\n')[0], 'X-Vipre-Tenant-Key: x')
  }
  assert.deepEqual(strip(new Uint8Array(0)), Buffer.alloc(0))
})

test('wrong argument types throw TypeError, never quoting the value', async () => {
  const wrong = [OPAQUE, 42, null, undefined, [1, 2, 3], { length: 3 }, new Uint16Array(2), new DataView(new ArrayBuffer(2))]
  for (const value of wrong) {
    for (const fn of [() => find(value), () => strip(value), () => setHeader(value, 'x'), () => verify(value, acmeKeyring())]) {
      const error = assert.throws(fn, TypeError) ?? captured(fn)
      assert.equal(error.code, 'ERR_INVALID_ARG_TYPE')
      assert.ok(!error.message.includes(OPAQUE))
      assert.match(error.message, /"message" argument must be a Buffer or Uint8Array/)
    }
    await assert.rejects(stripAsync(value), TypeError)
    await assert.rejects(verifyAsync(value, acmeKeyring()), TypeError)
  }
  const typeErrors = [
    () => strip(MESSAGE, 42),
    () => strip(MESSAGE, { header: OPAQUE }),
    () => setHeader(MESSAGE, { secret: OPAQUE }),
    () => verify(MESSAGE, {}),
    () => verify(MESSAGE, acmeKeyring(), OPAQUE),
    () => verify(MESSAGE, acmeKeyring(), { now: Date.now() }),
    () => verify(MESSAGE, acmeKeyring(), { acceptRetiring: 'no' }),
    () => verify(MESSAGE, acmeKeyring(), { rejectElsewhere: 1 }),
    () => verify(MESSAGE, acmeKeyring(), { header: null }),
    () => verify(MESSAGE, acmeKeyring(), { now: null }),
    () => verify(MESSAGE, acmeKeyring(), { acceptRetiring: null }),
    () => Token.parse(42),
    () => Token.opaque({ text: OPAQUE }),
    () => Token.import([OPAQUE]),
    () => Token.derive(OPAQUE, 'acme'),
    () => Token.opaque(OPAQUE).equals(OPAQUE),
    () => MasterKey.fromHex(Buffer.alloc(32)),
    () => MasterKey.fromBytes('00'.repeat(32)),
    () => Keyring.fromToml(null),
    () => acmeKeyring().addToken('acme', OPAQUE),
    () => acmeKeyring().addToken('acme', Token.generate(), '2026-01-01'),
    () => acmeKeyring().addTenant(7),
    () => acmeKeyring().rotate('acme', Token.generate(), undefined, '72'),
  ]
  for (const fn of typeErrors) {
    const error = captured(fn)
    assert.ok(error instanceof TypeError, `${fn}: ${error}`)
    assert.equal(error.code, 'ERR_INVALID_ARG_TYPE')
    assert.ok(!error.message.includes(OPAQUE), `${fn} quotes the token`)
  }
  for (const fn of [
    () => Token.derive(MasterKey.generate(), 'acme', -1),
    () => Token.derive(MasterKey.generate(), 'acme', 1.5),
    () => acmeKeyring().prune(new Date(Number.NaN)),
  ]) {
    const error = captured(fn)
    assert.ok(error instanceof RangeError, `${fn}: ${error}`)
    assert.equal(error.code, 'ERR_OUT_OF_RANGE')
  }
  assert.throws(() => new Token(), Error)
})

/** The error `fn` throws. */
function captured(fn) {
  try {
    fn()
  } catch (error) {
    return error
  }
  assert.fail('expected an error')
}

test('core errors carry a stable code and never the token', () => {
  const native = Token.generate().exposeSecret()
  const typo = native.slice(0, -1) + (native.endsWith('a') ? 'b' : 'a')
  throwsCode(() => strip(MESSAGE, 'Bad Name'), 'ERR_INVALID_HEADER_NAME')
  throwsCode(() => find(MESSAGE, ''), 'ERR_INVALID_HEADER_NAME')
  throwsCode(() => verify(MESSAGE, acmeKeyring(), { header: 'a:b' }), 'ERR_INVALID_HEADER_NAME')
  throwsCode(() => setHeader(MESSAGE, 'x\r\nBcc: victim@example.org'), 'ERR_INVALID_HEADER_VALUE')
  throwsCode(() => Token.parse(`xtk_${native.slice(4)}`), 'ERR_TOKEN_PREFIX', native.slice(4))
  throwsCode(() => Token.parse(native.slice(0, -3)), 'ERR_TOKEN_LENGTH', native.slice(0, -3))
  throwsCode(() => Token.parse(`${native.slice(0, 10)}_${native.slice(11)}`), 'ERR_TOKEN_CHARACTER', native.slice(11))
  throwsCode(() => Token.parse(typo), 'ERR_TOKEN_CHECKSUM', typo)
  throwsCode(() => Token.opaque('short secret'), 'ERR_TOKEN_CHARACTER', 'secret')
  throwsCode(() => Token.opaque('tooshort'), 'ERR_TOKEN_LENGTH', 'tooshort')
  throwsCode(() => Token.import(typo), 'ERR_TOKEN_CHECKSUM', typo)
  throwsCode(() => MasterKey.fromBytes(Buffer.alloc(16, 7)), 'ERR_MASTER_KEY_LENGTH')
  throwsCode(() => Keyring.fromToml('version = 2\n'), 'ERR_KEYRING_FILE')
  throwsCode(() => Keyring.fromToml(`version = 1\n[[tenant]]\nid = "acme"\nsecret = "${OPAQUE}"\n`), 'ERR_KEYRING_FILE', OPAQUE)
  const keyring = acmeKeyring()
  throwsCode(() => keyring.addTenant('bad id!'), 'ERR_INVALID_TENANT_ID')
  throwsCode(() => keyring.addTenant('acme'), 'ERR_DUPLICATE_TENANT')
  throwsCode(() => keyring.addToken('nobody', Token.generate()), 'ERR_UNKNOWN_TENANT')
  throwsCode(() => keyring.retire('nobody'), 'ERR_UNKNOWN_TENANT')
  keyring.addTenant('other')
  throwsCode(() => keyring.addToken('other', Token.opaque(OPAQUE)), 'ERR_DUPLICATE_TOKEN', OPAQUE)
})

test('async variants reject with the same codes', async () => {
  await assert.rejects(stripAsync(MESSAGE, 'Bad Name'), (error) => error.code === 'ERR_INVALID_HEADER_NAME')
  await assert.rejects(
    verifyAsync(MESSAGE, acmeKeyring(), { header: '' }),
    (error) => error.code === 'ERR_INVALID_HEADER_NAME',
  )
})

test('tokens and master keys are redacted everywhere but exposeSecret', () => {
  const keys = [MasterKey.generate(), MasterKey.fromHex('ab'.repeat(32))]
  const tokens = [Token.generate(), Token.opaque(OPAQUE), Token.derive(keys[0], 'acme'), Token.import(OPAQUE)]
  for (const token of tokens) {
    const secret = token.exposeSecret()
    const shown = [
      inspect(token),
      inspect({ nested: [token] }, { depth: 5, showHidden: true }),
      String(token),
      `${token}`,
      token.toString(),
      JSON.stringify(token),
      JSON.stringify({ token }),
      token.redacted,
    ]
    for (const text of shown) assert.ok(!text.includes(secret), `${text} shows the token`)
    assert.equal(String(token), token.redacted)
    assert.equal(JSON.stringify(token), JSON.stringify(token.redacted))
    assert.equal(inspect(token), `Token(${token.redacted})`)
    assert.ok(token.redacted.endsWith(secret.slice(-4)))
  }
  assert.equal(Token.opaque(OPAQUE).redacted, 'otk_…4sKd')
  for (const key of keys) {
    const hex = key.exposeSecretHex()
    assert.match(hex, /^[0-9a-f]{64,}$/)
    for (const text of [inspect(key), String(key), JSON.stringify(key), inspect({ key }, { showHidden: true })]) {
      assert.ok(!text.includes(hex) && !text.includes(hex.slice(0, 16)), `${text} shows the key`)
    }
    assert.match(String(key), /redacted/)
  }
})

test('token kinds, digests and derivation', () => {
  const native = Token.generate()
  assert.equal(native.exposeSecret().length, 53)
  assert.equal(native.isNative, true)
  assert.equal(Token.opaque(OPAQUE).isNative, false)
  assert.ok(Token.parse(`  ${native.exposeSecret()}\n`).equals(native))
  assert.ok(Token.import(native.exposeSecret()).isNative)
  assert.match(native.digest, /^[0-9a-f]{64}$/)
  const key = MasterKey.fromHex('0f'.repeat(32))
  assert.ok(Token.derive(key, 'acme').equals(Token.derive(MasterKey.fromBytes(Buffer.alloc(32, 0x0f)), 'acme', 1)))
  assert.ok(!Token.derive(key, 'acme', 2).equals(Token.derive(key, 'acme', 1)))
  assert.ok(Token.derive(key, 'acme').isNative)
  for (const tenant of ['', 'two words', 'caf\u00e9', 'x'.repeat(65)]) {
    assert.throws(() => Token.derive(key, tenant), { code: 'ERR_INVALID_TENANT_ID' })
  }
  assert.ok(MasterKey.fromHex(key.exposeSecretHex()) instanceof MasterKey)
})

test('token equality agrees with crypto.timingSafeEqual', () => {
  const texts = [
    OPAQUE,
    'otk_test_7Qm2VwXr9LpZ4sKe',
    'otk_test_7Qm2VwXr9LpZ4sK',
    'otk_test_7Qm2VwXr9LpZ4sKdd',
    'otk_test_ZZZZVwXr9LpZ4sKd',
    Token.generate().exposeSecret(),
    Token.generate().exposeSecret(),
  ]
  texts.push(texts[5])
  const reference = (a, b) => {
    const x = Buffer.from(a)
    const y = Buffer.from(b)
    return x.length === y.length && timingSafeEqual(x, y)
  }
  for (const a of texts) {
    for (const b of texts) {
      const ta = Token.import(a)
      const tb = Token.import(b)
      assert.equal(ta.equals(tb), reference(a, b), `${ta} vs ${tb}`)
      assert.equal(tb.equals(ta), ta.equals(tb))
    }
  }
})

test('keyring: tenants, rotation, retirement, files', () => {
  const keyring = new Keyring()
  keyring.addTenant('acme', 'Acme Corp')
  keyring.addTenant('globex')
  const old = Token.generate()
  const added = new Date('2026-12-01T10:00:00Z')
  keyring.addToken('acme', old, added)
  assert.deepEqual(keyring.tenants(), [
    { id: 'acme', name: 'Acme Corp', tokens: [{ hint: old.redacted, added, notAfter: null }] },
    { id: 'globex', name: null, tokens: [] },
  ])
  assert.equal(keyring.tenant('nobody'), null)

  const fresh = Token.generate()
  const rotated = new Date('2026-12-02T10:00:00Z')
  keyring.rotate('acme', fresh, rotated, 24)
  const [first, second] = keyring.tenant('acme').tokens
  assert.deepEqual(first.notAfter, new Date('2026-12-03T10:00:00Z'))
  assert.equal(second.notAfter, null)
  assert.equal(second.hint, fresh.redacted)

  const during = new Date('2026-12-02T12:00:00Z')
  const after = new Date('2026-12-04T00:00:00Z')
  assert.deepEqual(verify(stamped(old), keyring, { now: during }), {
    verdict: 'authenticated',
    tenant: 'acme',
    retiring: true,
    reason: null,
    stripped: STRIPPED,
    removed: 1,
  })
  const rejected = verify(stamped(old), keyring, { now: during, acceptRetiring: false })
  assert.equal(rejected.verdict, 'unknown')
  assert.equal(rejected.tenant, null)
  assert.equal(typeof rejected.reason, 'string')
  assert.deepEqual(rejected.stripped, STRIPPED)
  assert.equal(verify(stamped(old), keyring, { now: after }).verdict, 'unknown')
  assert.equal(verify(stamped(fresh), keyring, { now: after }).retiring, false)

  const text = keyring.toToml()
  assert.ok(!text.includes(old.exposeSecret()) && !text.includes(fresh.exposeSecret()))
  assert.deepEqual(Keyring.fromToml(text).tenants(), keyring.tenants())
  const dir = mkdtempSync(join(tmpdir(), 'outbound-token-'))
  try {
    const path = join(dir, 'keyring.toml')
    keyring.save(path)
    assert.deepEqual(Keyring.load(path).tenants(), keyring.tenants())
    writeFileSync(path, 'version = "one"\n')
    throwsCode(() => Keyring.load(path), 'ERR_KEYRING_FILE')
    const missing = captured(() => Keyring.load(join(dir, 'missing.toml')))
    assert.match(missing.code, /^ERR_/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }

  assert.equal(keyring.retire('acme'), 1)
  assert.equal(keyring.tenant('acme').tokens.length, 1)
  assert.equal(keyring.prune(), 0)
  keyring.removeTenant('globex')
  assert.deepEqual(keyring.tenants().map((tenant) => tenant.id), ['acme'])
  assert.throws(() => keyring.rotate('acme', Token.generate(), undefined, -1), (error) => error.code === 'ERR_OUT_OF_RANGE')
})

test('verdicts: missing, unknown, malformed, ambiguous', () => {
  const keyring = acmeKeyring()
  keyring.addTenant('globex')
  const globex = Token.generate()
  keyring.addToken('globex', globex)
  const cases = [
    [STRIPPED, 'missing', 0],
    [stamped(Token.generate()), 'unknown', 1],
    [setHeader(STRIPPED, 'otk_'), 'malformed', 1],
    [setHeader(STRIPPED, Token.generate().exposeSecret().slice(0, 30)), 'malformed', 1],
    [Buffer.concat([Buffer.from(`X-Vipre-Tenant-Key: ${globex.exposeSecret()}\r\n`), MESSAGE]), 'ambiguous', 2],
  ]
  for (const [message, verdict, removed] of cases) {
    const result = verify(message, keyring)
    assert.equal(result.verdict, verdict)
    assert.equal(result.removed, removed)
    assert.equal(result.tenant, null)
    assert.equal(typeof result.reason, 'string')
    assert.deepEqual(result.stripped, STRIPPED)
    assert.ok(!result.reason.includes('otk_'))
  }
  const leaked = Buffer.concat([MESSAGE, Buffer.from(`PS: my token is ${OPAQUE}\r\n`)])
  assert.equal(verify(leaked, keyring).verdict, 'authenticated')
  const elsewhere = verify(leaked, keyring, { rejectElsewhere: true })
  assert.equal(elsewhere.verdict, 'ambiguous')
  assert.ok(!elsewhere.reason.includes(OPAQUE))
  assert.equal(verify(MESSAGE, keyring, { rejectElsewhere: true }).verdict, 'authenticated')
  const custom = verify(Buffer.from(`X-Key: ${OPAQUE}\r\n\r\n`), keyring, { header: 'x-key' })
  assert.equal(custom.verdict, 'authenticated')
})

test('async variants copy their input and match the sync results', async () => {
  const keyring = acmeKeyring()
  const message = Buffer.from(MESSAGE)
  const stripping = stripAsync(message)
  const verifying = verifyAsync(message, keyring)
  message.fill(0)
  keyring.removeTenant('acme')
  assert.deepEqual(await stripping, STRIPPED)
  const result = await verifying
  assert.equal(result.verdict, 'authenticated')
  assert.deepEqual(result.stripped, STRIPPED)

  const many = await Promise.all(Array.from({ length: 32 }, () => verifyAsync(MESSAGE, acmeKeyring())))
  for (const each of many) assert.deepEqual(each, verify(MESSAGE, acmeKeyring()))
})

test('objects that only inherit from a class prototype get a TypeError', async () => {
  const fakes = [
    () => verify(MESSAGE, Object.create(Keyring.prototype)),
    () => inspectMessage(MESSAGE, { keyring: Object.create(Keyring.prototype) }),
    () => Token.derive(Object.create(MasterKey.prototype), 'acme'),
    () => Token.generate().equals(Object.create(Token.prototype)),
    () => acmeKeyring().addToken('acme', Object.create(Token.prototype)),
  ]
  for (const call of fakes) {
    assert.throws(call, { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: /only inherits from/ })
  }
  await assert.rejects(verifyAsync(MESSAGE, Object.create(Keyring.prototype)), { code: 'ERR_INVALID_ARG_TYPE' })
  // Genuine instances, subclasses included, still pass.
  class Sub extends Keyring {}
  assert.equal(verify(MESSAGE, new Sub()).verdict, 'unknown')
})

test('valid Dates beyond what napi-rs converts get a RangeError', () => {
  for (const ms of [8.64e15, -8.64e15, 8210266876800000]) {
    const now = new Date(ms)
    assert.throws(() => verify(MESSAGE, acmeKeyring(), { now }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' })
    assert.throws(() => inspectMessage(MESSAGE, { now }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' })
    assert.throws(() => new Keyring().prune(now), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' })
  }
  assert.equal(new Keyring().prune(new Date(8210266876799999)), 0)
})

test('save never replaces a directory or a device; load stops at the size limit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otk-special-'))
  try {
    for (const path of [dir, '/dev/null']) {
      assert.throws(() => acmeKeyring().save(path), { code: 'ERR_IO', message: /not a regular file/ })
    }
    assert.ok(require('node:fs').statSync('/dev/null').isCharacterDevice())
  } finally {
    rmSync(dir, { recursive: true })
  }
  assert.throws(() => Keyring.load('/dev/zero'), { code: 'ERR_IO', message: /larger than/ })
})
