/**
 * `npm run invite -- --email <address> --role <role> [--initiative <id>] [--partner <id>]`: asks a running
 * server for an invitation link (POST /api/v1/invitations) and prints it. Send the link to the person; it
 * opens the workspace's "create account" page and works once, for 7 days.
 *
 *   --server <url>     the server (default http://127.0.0.1:3000, or RBA_SERVER)
 *   --token <secret>   an administrator token (default: RBA_TOKEN, else RBA_ADMIN_TOKEN)
 *
 * Exit code: 0 with the link on stdout, 1 when the server refused, 2 for a usage error.
 */
import { parseArgs } from 'node:util';
import type { CreatedInvitation } from '../schema/contracts/invitations.ts';

const USAGE = `Usage: npm run invite -- --email <address> --role admin|editor|contributor|viewer [--initiative <id>] [--partner <id>]
                      [--server <url>] [--token <secret>]
The token can also come from RBA_TOKEN or RBA_ADMIN_TOKEN.`;

export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  out: { log(line: string): void; error(line: string): void } = console,
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        email: { type: 'string' },
        role: { type: 'string' },
        initiative: { type: 'string' },
        partner: { type: 'string' },
        server: { type: 'string' },
        token: { type: 'string' },
      },
    }));
  } catch (error) {
    out.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const token = values.token ?? env.RBA_TOKEN ?? env.RBA_ADMIN_TOKEN;
  if (!values.email || !values.role || !token) {
    out.error(USAGE);
    return 2;
  }
  const server = values.server ?? env.RBA_SERVER ?? 'http://127.0.0.1:3000';
  const response = await fetch(new URL('/api/v1/invitations', server), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      email: values.email,
      role: values.role,
      ...(values.initiative && { initiativeId: values.initiative }),
      ...(values.partner && { partnerId: values.partner }),
    }),
  });
  const body = (await response.json()) as CreatedInvitation & { error?: { message: string } };
  if (response.status !== 201) {
    out.error(`The server refused (${response.status}): ${body.error?.message ?? JSON.stringify(body)}`);
    return 1;
  }
  out.log(body.url);
  out.error(`Send this link to ${values.email}; it works once, until ${body.expiresAt}.`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('invite.ts'))
  process.exitCode = await main(process.argv.slice(2), process.env);
