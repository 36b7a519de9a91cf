/**
 * A form-submitting "browser" over app.inject for the workspace's HTTP tests: keeps cookies, reads the CSRF
 * token of the last page, follows nothing by itself (tests assert redirects).
 */
import type { FastifyInstance } from 'fastify';
import type { TestApp } from '../helpers/test-app.ts';

export interface PageResponse {
  status: number;
  html: string;
  location: string | undefined;
}

export class FormSession {
  readonly cookies = new Map<string, string>();
  csrf = '';
  constructor(private readonly app: FastifyInstance) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(setCookie: string | string[] | undefined): void {
    for (const line of [setCookie ?? []].flat()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...value] = pair!.split('=');
      const expired = attributes.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()));
      if (expired || value.join('=') === '') this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value.join('='));
    }
  }

  private async send(
    method: 'GET' | 'POST',
    url: string,
    payload?: string,
    contentType?: string,
  ): Promise<PageResponse> {
    const response = await this.app.inject({
      method,
      url,
      headers: {
        cookie: this.cookieHeader(),
        ...(contentType && { 'content-type': contentType }),
      },
      ...(payload !== undefined && { payload }),
    });
    this.remember(response.headers['set-cookie']);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (csrf) this.csrf = csrf[1]!;
    return {
      status: response.statusCode,
      html: response.body,
      location: response.headers.location as string | undefined,
    };
  }

  get(url: string): Promise<PageResponse> {
    return this.send('GET', url);
  }

  /** Posts a form; `_csrf` is the last page's token unless the fields set it (or `null` leaves it out). */
  post(url: string, fields: Record<string, string | string[] | null>): Promise<PageResponse> {
    const body = new URLSearchParams();
    const withCsrf = { _csrf: this.csrf, ...fields };
    for (const [key, value] of Object.entries(withCsrf)) {
      if (value === null) continue;
      for (const v of [value].flat()) body.append(key, v);
    }
    return this.send('POST', url, body.toString(), 'application/x-www-form-urlencoded');
  }

  /** Posts a multipart form with one file (the CSV import). */
  postFile(url: string, field: string, filename: string, content: string): Promise<PageResponse> {
    const boundary = '----rba' + Math.random().toString(16).slice(2);
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${this.csrf}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n` +
      `--${boundary}--\r\n`;
    return this.send('POST', url, body, `multipart/form-data; boundary=${boundary}`);
  }
}

/** The form fields of the grid page as the browser would post them (inputs with their current values). */
export function gridFields(page: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  const start = page.indexOf('<form method="post" action="/app/indicators/');
  const html = page.slice(start, page.indexOf('</form>', start));
  for (const match of html.matchAll(/<input type="(?:hidden|text)"[^>]*?name="([^"]+)" value="([^"]*)"/g)) {
    const [, name, value] = match;
    const decoded = value!
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&');
    const known = fields[name!];
    fields[name!] = known === undefined ? decoded : [known, decoded].flat();
  }
  return fields;
}

/** The password the workspace tests give the people they invite. */
export const PASSWORD = 'correct horse battery';

/**
 * Invites a person through the API (as the test administrator) and creates the account through the pages;
 * returns the signed-in session.
 */
export async function invitedPerson(
  api: TestApp,
  invitation: { email: string; role: string; initiativeId: string; partnerId?: string | undefined },
): Promise<FormSession> {
  const { partnerId, ...rest } = invitation;
  const invited = await api.request({
    method: 'POST',
    url: '/api/v1/invitations',
    payload: { ...rest, ...(partnerId && { partnerId }) },
  });
  if (invited.status !== 201) throw new Error(invited.raw);
  const path = new URL(invited.body.url as string).pathname;
  const session = new FormSession(api.app);
  const form = await session.get(path);
  if (form.status !== 200 || !form.html.includes('Create account')) throw new Error(form.html);
  const created = await session.post(path, { displayName: invitation.email.split('@')[0]!, password: PASSWORD });
  if (created.status !== 303 || created.location !== '/app') throw new Error(`${created.status} ${created.html}`);
  return session;
}
