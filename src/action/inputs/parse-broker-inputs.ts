import { InputError } from '../../lib/input-error.js'
import type { BrokerSource } from '../../lib/requests.js'
import { quoteInput } from '../../lib/text/quote-input.js'

/** The App inputs a broker makes needless: its key, and who it is, stay with the broker. */
const APP_INPUTS = [
  'app-id',
  'client-id',
  'private-key',
  'private-key-file',
  'app-jwt',
  'installation-id'
]

/**
 * A broker's grant decides these; asking for them here would look like a choice the step does
 * not have. Their action.yml defaults are not a choice (the runner passes them whatever is set).
 */
const GRANT_INPUTS: Record<string, string> = {
  owner: '',
  'runner-group': '',
  'runner-name-prefix': 'mint-token',
  'runner-work-folder': '_work'
}

/**
 * 'broker-url', 'broker-policy' and 'broker-audience': where to ask, under which policy, for
 * which audience. undefined without 'broker-url'. Refused with any App input (a key in the
 * workflow is what the broker exists to avoid) or an input the policy's grant decides.
 */
export function parseBrokerInputs(read: (name: string) => string): BrokerSource | undefined {
  const url = read('broker-url').trim()
  if (!url) {
    for (const name of ['broker-policy', 'broker-audience'])
      if (read(name).trim())
        throw new InputError(
          `Input '${name}' is set but 'broker-url' is not; set 'broker-url' to the broker, or remove '${name}'.`
        )
    return undefined
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new InputError(
      `Input 'broker-url' is ${quoteInput(url)}; expected the broker's URL, e.g. 'https://tokens.example.com'.`
    )
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback))
    throw new InputError(
      `Input 'broker-url' is ${quoteInput(url)}; the job's OIDC token and the credential travel over it, so it must be https:// (plain http only to 127.0.0.1).`
    )
  if (parsed.username || parsed.password || parsed.search || parsed.hash)
    throw new InputError(
      "Input 'broker-url' has credentials, a query or a fragment; pass the broker's base URL only."
    )
  for (const name of APP_INPUTS)
    if (read(name).trim())
      throw new InputError(
        `Inputs 'broker-url' and '${name}' are both set; with a broker the App's key and identity stay with it. Remove '${name}' (and the secret from the workflow).`
      )
  for (const [name, byDefault] of Object.entries(GRANT_INPUTS))
    if (![byDefault, ''].includes(read(name).trim()))
      throw new InputError(
        `Inputs 'broker-url' and '${name}' are both set; the broker policy's grant decides '${name}'. Remove it.`
      )
  const policy = read('broker-policy').trim()
  if (!policy)
    throw new InputError(
      "Input 'broker-policy' is empty; with 'broker-url', name the broker policy to ask under (e.g. 'broker-policy: repo-write')."
    )
  return { url, policy, audience: read('broker-audience').trim() || url }
}
