// The server checks what it sends against the API contract while tests run (PACKDESK_CHECK_CONTRACT=1,
// set by the test configuration for the tests and every server they start): a route's answer, an
// error body, a live event. A mismatch fails loudly, as a 500 naming the route and the field, so a
// change of shape cannot slip past the tests. In production nothing is checked and nothing is paid.
import type { z } from 'zod';
import { ErrorBodySchema } from '../contract/errors.js';
import { LiveEventSchema } from '../contract/live-events.js';
import { API_ROUTES, type RouteName } from '../contract/routes.js';

export function contractCheckWanted(): boolean {
  return process.env.PACKDESK_CHECK_CONTRACT === '1';
}

/** An answer the server was about to send that its contract does not allow. */
export class ContractBreach extends Error {
  constructor(what: string, error: z.ZodError) {
    const issues = error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(the whole answer)'}: ${i.message}`)
      .join('; ');
    super(`${what} does not match the API contract (src/contract/): ${issues}`);
    this.name = 'ContractBreach';
  }
}

function check(schema: z.ZodType, value: unknown, what: string): void {
  // As the receiver will see it: through JSON, so undefined fields and Dates are what they become.
  const result = schema.safeParse(JSON.parse(JSON.stringify(value)));
  if (!result.success) throw new ContractBreach(what, result.error);
}

export function checkAnswer(route: RouteName, body: unknown): void {
  const schema = API_ROUTES[route];
  if (typeof schema !== 'string') check(schema, body, `The answer of ${route}`);
}

export function checkErrorBody(body: unknown): void {
  check(ErrorBodySchema, body, 'An error body');
}

export function checkLiveEvent(event: unknown): void {
  check(LiveEventSchema, event, 'A live event');
}
