// The shared case corpus (crates/outbound-token/tests/data/cases), as the Rust and Python tests
// read it: each message's tokens, its stripped bytes and its verdict against a keyring where
// tenant `acme` holds the opaque token `otk_test_7Qm2VwXr9LpZ4sKd`.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'

import { DEFAULT_HEADER, Keyring, Token, find, strip, stripAsync, verify, verifyAsync } from 'outbound-token'

const dir = new URL('../../../crates/outbound-token/tests/data/cases/', import.meta.url)
const cases = readFileSync(new URL('MANIFEST.jsonl', dir), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line))
const read = (name) => readFileSync(new URL(name, dir))

function acmeKeyring() {
  const keyring = new Keyring()
  keyring.addTenant('acme', 'Acme Corp')
  keyring.addToken('acme', Token.opaque('otk_test_7Qm2VwXr9LpZ4sKd'))
  return keyring
}

test('the corpus is there', () => {
  assert.ok(cases.length >= 17, `the case corpus is missing or empty: ${cases.length} cases`)
})

for (const entry of cases) {
  test(`case ${entry.case}`, async () => {
    const message = read(`${entry.case}.eml`)
    const expected = read(`${entry.case}.stripped.eml`)
    // Tokens are written as Latin-1 text so that any byte survives JSON.
    const tokens = entry.tokens.map((token) => Buffer.from(token, 'latin1'))

    const fields = find(message)
    assert.deepEqual(fields.map((field) => field.token), tokens)
    assert.deepEqual(find(message, DEFAULT_HEADER.toLowerCase()), fields)
    for (const field of fields) {
      assert.equal(field.name.toLowerCase(), DEFAULT_HEADER.toLowerCase())
      assert.ok(0 <= field.start && field.start < field.end && field.end <= message.length)
    }

    assert.deepEqual(strip(message), expected)
    assert.deepEqual(strip(expected), expected, 'stripping is idempotent')
    assert.deepEqual(await stripAsync(message), expected)

    const keyring = acmeKeyring()
    const result = verify(message, keyring)
    assert.equal(result.verdict, entry.verdict)
    assert.deepEqual(result.stripped, expected)
    assert.equal(result.removed, tokens.length)
    assert.equal(result.tenant, entry.verdict === 'authenticated' ? 'acme' : null)
    assert.equal(result.reason === null, entry.verdict === 'authenticated')
    assert.equal(result.retiring, false)
    assert.deepEqual(await verifyAsync(message, keyring), result)
  })
}
