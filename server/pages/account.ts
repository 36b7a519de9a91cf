/** Sign-in, account creation from an invitation, and the error page. */
import { csrfField, esc, page } from './html.ts';
import { TEXT } from './text.ts';

export function signInPage(input: {
  csrf: string;
  email?: string;
  problem?: string | null;
  notice?: string | null;
  next?: string;
}): string {
  const problem = input.problem ? `<p class="problem" role="alert" id="sign-in-problem">${esc(input.problem)}</p>` : '';
  const described = input.problem ? ' aria-describedby="sign-in-problem"' : '';
  return page(
    { title: TEXT.signInTitle, csrf: input.csrf, person: null, notice: input.notice ?? null },
    `${problem}<form method="post" action="/app/sign-in">${csrfField(input.csrf)}
<input type="hidden" name="next" value="${esc(input.next ?? '/app')}">
<label for="email">${esc(TEXT.email)}</label><input type="email" id="email" name="email" autocomplete="username" required value="${esc(input.email ?? '')}"${described}>
<label for="password">${esc(TEXT.password)}</label><input type="password" id="password" name="password" autocomplete="current-password" required${described}>
<div class="actions"><button type="submit">${esc(TEXT.signIn)}</button></div></form>`,
  );
}

/** The open invitation the page is about (services/people.ts `OpenInvitation`). */
interface InvitationShown {
  email: string;
  role: string;
  initiativeName: string | null;
  hasAccount: boolean;
}

export function invitationPage(input: {
  csrf: string;
  secret: string;
  invitation: InvitationShown | null;
  displayName?: string;
  problems?: { displayName?: string; password?: string; form?: string };
  minPassword: number;
}): string {
  const { invitation } = input;
  if (invitation === null)
    return page(
      { title: TEXT.invitationTitle, csrf: input.csrf, person: null },
      `<p class="problem" role="alert">${esc(input.problems?.form ?? TEXT.invitationGone)}</p><p><a href="/app/sign-in">${esc(TEXT.signInTitle)}</a></p>`,
    );
  const p = input.problems ?? {};
  const error = (id: string, message?: string) =>
    message ? `<span class="field-error" id="${id}-error">${esc(message)}</span>` : '';
  const describedBy = (id: string, message?: string, hint?: string) => {
    const ids = [hint, message ? `${id}-error` : null].filter(Boolean).join(' ');
    return ids ? ` aria-describedby="${ids}"` : '';
  };
  const invalid = (message?: string) => (message ? ' aria-invalid="true"' : '');
  const form = p.form ? `<p class="problem" role="alert">${esc(p.form)}</p>` : '';
  const offer = `<p>${esc(TEXT.invitationRole(invitation.role, invitation.initiativeName))}</p>`;
  if (invitation.hasAccount)
    return page(
      { title: TEXT.acceptTitle, csrf: input.csrf, person: null },
      `${form}<p>${esc(TEXT.acceptFor(invitation.email))}</p>${offer}<p class="hint">${esc(TEXT.acceptReplaces)}</p>
<form method="post" action="/app/invitations/${esc(input.secret)}/accept">${csrfField(input.csrf)}
<label for="password">${esc(TEXT.password)}</label>${error('password', p.password)}
<input type="password" id="password" name="password" autocomplete="current-password" required${describedBy('password', p.password)}${invalid(p.password)}>
<div class="actions"><button type="submit">${esc(TEXT.acceptInvitation)}</button></div></form>`,
    );
  return page(
    { title: TEXT.invitationTitle, csrf: input.csrf, person: null },
    `${form}<p>${esc(TEXT.invitationFor(invitation.email))}</p>${offer}
<form method="post" action="/app/invitations/${esc(input.secret)}">${csrfField(input.csrf)}
<label for="name">${esc(TEXT.name)}</label>${error('name', p.displayName)}
<input type="text" id="name" name="displayName" autocomplete="name" required maxlength="200" value="${esc(input.displayName ?? '')}"${describedBy('name', p.displayName)}${invalid(p.displayName)}>
<label for="password">${esc(TEXT.password)}</label><p class="hint" id="password-hint">${esc(TEXT.passwordHint(input.minPassword))}</p>${error('password', p.password)}
<input type="password" id="password" name="password" autocomplete="new-password" required minlength="${input.minPassword}"${describedBy('password', p.password, 'password-hint')}${invalid(p.password)}>
<div class="actions"><button type="submit">${esc(TEXT.createAccount)}</button></div></form>`,
  );
}

export function errorPage(input: {
  csrf: string;
  person: { displayName: string; role: string } | null;
  message: string;
}): string {
  return page(
    { title: TEXT.errorTitle, csrf: input.csrf, person: input.person },
    `<p class="problem" role="alert">${esc(input.message)}</p><p><a href="/app">${esc(TEXT.home)}</a></p>`,
  );
}
