/** The personal API tokens page: the tokens not revoked, a form to make one, the new secret shown once. */
import type { ApiToken } from '../../schema/contracts/tokens.ts';
import { csrfField, esc, page, type PageFrame } from './html.ts';
import { TEXT } from './text.ts';

export interface TokensView {
  tokens: ApiToken[];
  /** The scopes offered (services/personal-tokens.ts). */
  grants: { value: string; role: string; initiativeId: string | null; initiativeName: string | null }[];
  secret: string | null;
  problems: { name?: string; role?: string };
  name: string;
}

export function tokensPage(frame: Pick<PageFrame, 'csrf' | 'person' | 'notice'>, view: TokensView): string {
  const names = new Map(view.grants.map((grant) => [grant.initiativeId, grant.initiativeName]));
  const secret = view.secret
    ? `<div class="notice" role="status"><label for="new-token">${esc(TEXT.newTokenLabel)}</label>
<p class="hint" id="new-token-help">${esc(TEXT.newTokenHelp)}</p>
<input type="text" id="new-token" readonly value="${esc(view.secret)}" aria-describedby="new-token-help"></div>`
    : '';
  const list = view.tokens.length
    ? `<div class="table-wrap" tabindex="0" role="region" aria-label="${esc(TEXT.tokensTitle)}"><table><thead><tr>
<th scope="col">${esc(TEXT.tokenName)}</th><th scope="col">${esc(TEXT.tokenRole)}</th><th scope="col">${esc(TEXT.created)}</th>
<th scope="col">${esc(TEXT.lastUsed)}</th><th scope="col"><span class="skip">${esc(TEXT.revoke)}</span></th></tr></thead><tbody>${view.tokens
        .map(
          (
            token,
          ) => `<tr><td>${esc(token.name)}</td><td>${esc(TEXT.tokenGrant(token.role, names.get(token.initiativeId) ?? null))}</td><td>${esc(token.createdAt.slice(0, 10))}</td>
<td>${esc(token.lastUsedAt?.slice(0, 16).replace('T', ' ') ?? TEXT.never)}</td>
<td><form method="post" action="/app/tokens/${esc(token.id)}/revoke">${csrfField(frame.csrf)}<button type="submit" class="secondary" aria-label="${esc(TEXT.revokeToken(token.name))}">${esc(TEXT.revoke)}</button></form></td></tr>`,
        )
        .join('')}</tbody></table></div>`
    : `<p>${esc(TEXT.noTokens)}</p>`;
  const error = (id: string, message?: string) =>
    message ? `<span class="field-error" id="${id}-error">${esc(message)}</span>` : '';
  const invalid = (id: string, message?: string) =>
    message ? ` aria-invalid="true" aria-describedby="${id}-error"` : '';
  return page(
    { ...frame, title: TEXT.tokensTitle, crumbs: [{ href: '/app', label: TEXT.home }] },
    `${secret}<p class="hint">${esc(TEXT.tokensHelp)}</p>${list}
<form method="post" action="/app/tokens">${csrfField(frame.csrf)}
<label for="token-name">${esc(TEXT.tokenName)}</label>${error('token-name', view.problems.name)}
<input type="text" id="token-name" name="name" required maxlength="300" value="${esc(view.name)}"${invalid('token-name', view.problems.name)}>
<label for="token-role">${esc(TEXT.tokenRole)}</label>${error('token-role', view.problems.role)}
<select id="token-role" name="role"${invalid('token-role', view.problems.role)}>${view.grants
      .map(
        (grant) =>
          `<option value="${esc(grant.value)}">${esc(TEXT.tokenGrant(grant.role, grant.initiativeName))}</option>`,
      )
      .join('')}</select>
<div class="actions"><button type="submit">${esc(TEXT.createToken)}</button></div></form>`,
  );
}
