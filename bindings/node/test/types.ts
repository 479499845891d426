// Typed use of the whole API: `tsc --noEmit -p test/tsconfig.json` checks the generated
// `index.d.ts` against it (and it against `index.d.ts`). It is type-checked, never run.
import {
  DEFAULT_HEADER,
  Keyring,
  MasterKey,
  Token,
  find,
  inspect,
  setHeader,
  strip,
  stripAsync,
  verify,
  verifyAsync,
  type Field,
  type Finding,
  type InspectOptions,
  type InspectReport,
  type KeyEntry,
  type Tenant,
  type Verification,
  type VerifyOptions,
} from 'outbound-token'

export async function usage(message: Buffer, view: Uint8Array): Promise<void> {
  const header: string = DEFAULT_HEADER
  const fields: Field[] = find(message, header)
  for (const field of fields) {
    const name: string = field.name
    const token: Buffer = field.token
    const span: [number, number] = [field.start, field.end]
    void [name, token, span]
  }
  const stripped: Buffer = strip(view)
  const later: Buffer = await stripAsync(message, 'X-Other')
  const stamped: Buffer = setHeader(message, 'otk_value', header)
  void [stripped, later, stamped]

  const token: Token = Token.generate()
  const parsed: Token = Token.parse(token.exposeSecret())
  const opaque: Token = Token.opaque('otk_test_7Qm2VwXr9LpZ4sKd')
  const imported: Token = Token.import('otk_test_7Qm2VwXr9LpZ4sKd')
  const key: MasterKey = MasterKey.fromHex(MasterKey.generate().exposeSecretHex())
  const derived: Token = Token.derive(key, 'acme', 2)
  const same: boolean = parsed.equals(token) && Token.derive(MasterKey.fromBytes(view), 'acme').isNative
  const hints: string[] = [token.redacted, token.toString(), token.toJSON(), token.digest, key.toString()]
  void [opaque, imported, derived, same, hints]

  const keyring = new Keyring()
  keyring.addTenant('acme', 'Acme Corp')
  keyring.addTenant('globex')
  keyring.addToken('acme', token)
  keyring.addToken('globex', opaque, new Date())
  keyring.rotate('acme', derived)
  keyring.rotate('acme', Token.generate(), new Date(), 24)
  const retired: number = keyring.retire('acme')
  const pruned: number = keyring.prune(new Date())
  const text: string = keyring.toToml()
  const again: Keyring = Keyring.fromToml(text)
  again.save('/tmp/keyring.toml')
  const loaded: Keyring = Keyring.load('/tmp/keyring.toml')
  loaded.removeTenant('globex')
  const tenants: Tenant[] = keyring.tenants()
  const acme: Tenant | null = keyring.tenant('acme')
  const tenantName: string | null = tenants[0].name
  const entries: KeyEntry[] = acme ? acme.tokens : []
  const notAfter: Date | null = entries[0].notAfter
  const added: Date = entries[0].added
  void [retired, pruned, tenantName, notAfter, added]

  const options: VerifyOptions = { header, acceptRetiring: false, rejectElsewhere: true, now: new Date() }
  const result: Verification = verify(message, keyring, options)
  const verdict: 'authenticated' | 'missing' | 'unknown' | 'malformed' | 'ambiguous' = result.verdict
  const tenant: string | null = result.tenant
  const reason: string | null = result.reason
  const retiring: boolean = result.retiring
  const removed: number = result.removed
  const output: Buffer = result.stripped
  const promised: Verification = await verifyAsync(view, keyring)
  void [verdict, tenant, reason, retiring, removed, output, promised, verify(message, keyring)]

  const inspectOptions: InspectOptions = { keyring, header, now: new Date() }
  const report: InspectReport = inspect(message, inspectOptions)
  const findings: Finding[] = report.findings
  const code: string = findings[0].code
  const severity: 'info' | 'warning' | 'error' = findings[0].severity
  const line: string = findings[0].message
  const worst: 'info' | 'warning' | 'error' = report.severity
  const ok: boolean = report.ok
  const tokenFields: number = report.tokenFields
  const matched: string | null = report.tenant
  void [code, severity, line, worst, ok, tokenFields, matched, inspect(view), inspect(message, {}), inspect(message, { keyring })]

  // @ts-expect-error a string is not a message
  strip('X-Vipre-Tenant-Key: otk\r\n\r\n')
  // @ts-expect-error a keyring takes a Token, not its text
  keyring.addToken('acme', 'otk_test_7Qm2VwXr9LpZ4sKd')
  // @ts-expect-error inspect takes a Keyring in its options, not as its second argument
  inspect(message, keyring)
  // @ts-expect-error `now` is a Date
  inspect(message, { now: Date.now() })
  // @ts-expect-error not a severity
  const fatal: typeof report.severity = 'fatal'
  void fatal
  // @ts-expect-error not a verdict
  const wrong: typeof result.verdict = 'ok'
  void wrong
}
