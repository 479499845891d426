// The same declarations seen from an ES module (`import` condition of package.json `exports`).
import outboundToken, {
  DEFAULT_HEADER,
  Keyring,
  Token,
  inspect,
  verifyAsync,
  type InspectReport,
  type Verification,
} from 'outbound-token'

export async function usage(message: Uint8Array): Promise<Verification> {
  const keyring = new Keyring()
  keyring.addTenant('acme')
  keyring.addToken('acme', Token.generate())
  const stripped: Buffer = outboundToken.strip(message, DEFAULT_HEADER)
  const report: InspectReport = inspect(message, { keyring, header: DEFAULT_HEADER, now: new Date() })
  const again: InspectReport = outboundToken.inspect(stripped)
  const tenant: string | null = report.tenant
  const codes: string[] = again.findings.map((finding) => finding.code)
  void [tenant, codes, report.ok, report.severity === 'error']
  return verifyAsync(stripped, keyring, { acceptRetiring: true })
}
