/**
 * Every text of the workspace pages (/app), in one place for translation: a translator copies this object,
 * translates the values and keeps the keys. Functions take the values they interpolate.
 */
export const TEXT = {
  lang: 'en',
  appName: 'RBA workspace',
  skipToContent: 'Skip to content',
  signedInAs: (name: string, role: string) => `Signed in as ${name} (${role})`,
  signOut: 'Sign out',
  home: 'Initiatives',
  breadcrumb: 'Breadcrumb',

  signInTitle: 'Sign in',
  email: 'Email',
  password: 'Password',
  signIn: 'Sign in',
  wrongCredentials: 'The email or password is not right.',
  slowedDown: 'Too many attempts to sign in. Wait 15 minutes, then try again.',
  signedOut: 'You are signed out.',
  sessionEnded: 'Your session has ended. Sign in again.',

  invitationTitle: 'Create your account',
  invitationFor: (email: string) => `You were invited as ${email}. Choose a name and a password.`,
  invitationGone: 'This invitation link was used already or has expired. Ask for a new one.',
  name: 'Name',
  passwordHint: (min: number) => `At least ${min} characters.`,
  createAccount: 'Create account',
  nameProblem: 'Enter your name (up to 200 characters).',
  passwordProblem: (min: number) => `Choose a password of at least ${min} characters.`,
  accountExists: 'An account with this email exists already. Sign in instead.',
  invitationRole: (role: string, initiative: string | null) =>
    initiative === null
      ? `The invitation makes you an administrator.`
      : `The invitation makes you ${role} of ${initiative}.`,
  acceptTitle: 'Accept the invitation',
  acceptFor: (email: string) =>
    `You were invited as ${email}, which has an account already. Enter its password to accept.`,
  acceptInvitation: 'Accept invitation',
  wrongPassword: 'The password is not right.',
  acceptReplaces: 'If you already have a role in this initiative, the invitation replaces it.',
  noRole: 'no role yet',

  initiativesTitle: 'Initiatives',
  noInitiatives: 'You cannot see any initiative yet. Ask an administrator to invite you to one.',

  resultsHeading: 'Results',
  noResults: 'This initiative has no results you can see.',
  lateHeading: 'Late',
  dueHeading: 'Due next',
  nothingLate: 'No data are late.',
  nothingDue: 'Nothing is due soon.',
  lateItem: (name: string, reason: string) => `${name}: ${reason}`,
  dueItem: (name: string, period: string, date: string) => `${name}: ${period} due ${date}`,

  scorecardHeading: 'Scorecard',
  treeHeading: 'Indicators by outcome',
  headlineIndicators: 'Headline indicators',
  importResultCsv: 'Import CSV for this result',

  chartHeading: 'Chart',
  analysisHeading: 'What the data say',
  dataHeading: 'Data',
  noData: 'No data yet.',
  enterData: 'Enter data',
  importCsv: 'Import CSV',
  history: 'History',
  embedHeading: 'Embed this chart',
  embedCode: 'Embed code',
  embedHelp: 'Copy this code into a page of your website.',
  embedPreview: 'Preview',
  embedPrivate: 'This indicator is private: make it public before embedding it on a website.',
  embedPreviewTitle: (name: string) => `Embedded chart: ${name}`,
  period: 'Period',
  total: 'Total',
  value: 'Value',
  version: 'Version',
  updatedBy: 'Entered by',
  updatedAt: 'When',
  how: 'How',
  group: 'Group',

  unverified: 'Unverified',
  checked: 'Checked',
  flaggedHeading: 'Flagged values',
  flaggedHelp:
    'Data-quality checks flagged these values as unusual. An unverified value has not been checked yet; a checked one was confirmed, with a comment.',
  acknowledgedBy: (comment: string, by: string | null) => `Comment: “${comment}”${by ? ` (${by})` : ''}`,
  flagCommentRequired: 'Say in Comment why the value is right.',
  flagChanged: 'This value was changed meanwhile: look at it again below.',
  flagsColumn: 'Data-quality flags',
  dataQuality: 'Data quality',
  dataQualityTitle: (statement: string) => `Data quality: ${statement}`,
  dataQualityHelp:
    'What to go through before a meeting: values that break a rule, values flagged as unusual (unverified until someone checks them), provisional values kept too long, and periods without data.',
  qualityCounts: (open: number, checked: number, missing: number) =>
    `${open} to look at, ${checked} checked, ${missing} missing ${missing === 1 ? 'period' : 'periods'}.`,
  qualityItemsHeading: 'Rules and flags',
  noQualityItems: 'No value breaks a rule or is flagged.',
  missingHeading: 'Missing periods',
  noMissingPeriods: 'No period is missing.',
  indicator: 'Indicator',
  severity: 'Severity',
  severityError: 'Error',
  severityWarning: 'Warning',
  check: 'Check',
  checkCode: (severity: string, code: string) => `${severity}: ${code}`,
  state: 'State',
  breaksRule: 'Breaks a rule',
  provisionalTooLong: 'Provisional too long',
  historyTitle: (name: string) => `History of ${name}`,
  missingValue: 'missing (M)',
  noHistory: 'Nothing has been entered yet.',

  gridTitle: (name: string) => `Enter data: ${name}`,
  gridHelp:
    'Type the values and press Save. Saving writes every changed value or none. Leave a cell empty to keep it empty.',
  pasteHint: 'You can paste a block of cells copied from a spreadsheet: click the first cell, then paste.',
  /** Read by the grid's paste script (dashboards/assets/grid-paste.js): `{count}` is replaced there. */
  pasteFilledOne: 'Pasted 1 value. Nothing is saved until you press Save.',
  pasteFilled: 'Pasted {count} values. Nothing is saved until you press Save.',
  pasteLeftOutOne: '1 pasted cell was beyond the grid and was left out.',
  pasteLeftOut: '{count} pasted cells were beyond the grid and were left out.',
  valueFor: (period: string) => `Value for ${period}`,
  valueForGroup: (period: string, dimension: string, value: string) => `Value for ${period}, ${dimension}: ${value}`,
  addPeriod: 'Add period',
  newPeriod: 'New period',
  newPeriodHelp: (example: string) => `Format: ${example}.`,
  save: 'Save',
  saved: (changed: number) => (changed === 1 ? 'Saved 1 value.' : `Saved ${changed} values.`),
  nothingChanged: 'Nothing changed.',
  notANumber: 'Enter a number, for example 12.5.',
  cannotClear: 'A stored value cannot be removed here; enter a number.',
  notSaved: (count: number) =>
    count === 1
      ? 'Nothing was saved: 1 value needs your attention.'
      : `Nothing was saved: ${count} values need your attention.`,
  conflict: (message: string) =>
    `Someone else changed this value: ${message}. Your value is kept below; press Save again to replace theirs.`,
  errorSummary: 'There is a problem',
  warning: 'Warning',
  warningsHeading: 'Values to check',
  warningsHelp:
    'These values were saved but look unusual. If a value is right, tick "I checked this value", say why in Comment and press Save.',
  acknowledgeLegend: (cell: string) => `Acknowledge the warning on ${cell}`,
  iCheckedThisValue: 'I checked this value',
  comment: 'Comment',
  commentHint: 'Why the value is right, for the people who read it.',
  commentRequired: 'Say in Comment why the value is right, or untick "I checked this value".',
  needsAcknowledgement: (count: number) =>
    `Nothing was saved: ${count === 1 ? '1 value has a warning' : `${count} values have warnings`}. This initiative saves a value with a warning only once someone has checked it: if the value is right, tick "I checked this value" and say why in Comment; otherwise correct it. Then press Save again.`,
  acknowledgedCount: (count: number) =>
    count === 1 ? '1 warning was acknowledged.' : `${count} warnings were acknowledged.`,
  warningsRecorded: (count: number) =>
    count === 1
      ? '1 warning was recorded with the values: it is listed below, next to its value.'
      : `${count} warnings were recorded with the values: they are listed below, next to their values.`,

  importTitle: (name: string) => `Import CSV: ${name}`,
  importHelp: 'A CSV file with the columns period and value (and one column per group). See docs/csv.md.',
  csvFile: 'CSV file',
  checkFile: 'Check file',
  import: 'Import',
  chooseFile: 'Choose a CSV file.',
  checkHeading: 'What the file would change',
  rows: 'Rows read',
  inserted: 'New values',
  updated: 'Changed values',
  unchanged: 'Unchanged values',
  rejected: 'Rows with errors',
  skipped: 'Blank rows skipped',
  errorsHeading: 'Rows with errors',
  row: 'Row',
  column: 'Column',
  problem: 'Problem',
  fixAndCheck: 'Nothing was imported. Fix these rows in your file and check it again.',
  importWarningsHeading: 'Values to check',
  importWarningsHelp:
    'These values look unusual. If you import the file, they are saved as unverified until someone checks them (or add the columns ACKNOWLEDGE and COMMENT to the rows: see docs/csv.md).',
  importMustAcknowledge:
    'Nothing can be imported yet: this initiative saves a value with a warning only once someone has checked it. For each of these rows, add the check in the column ACKNOWLEDGE (several separated by |) and say why the value is right in the column COMMENT, or correct the value. Then check the file again.',
  acknowledgedInFile: 'Acknowledged in the file',
  moreNotListed: (count: number) => `${count} more not listed.`,
  changesHeading: 'Values the file changes',
  oldValue: 'Now',
  newValue: 'After the import',
  importWarnings: (count: number) =>
    count === 1
      ? '1 value was saved with a warning: it is marked Unverified until someone checks it.'
      : `${count} values were saved with warnings: they are marked Unverified until someone checks them.`,
  readyToImport: 'The file is ready. Press Import to save it.',
  imported: (inserted: number, updated: number) => `Imported: ${inserted} new and ${updated} changed values.`,
  backToIndicator: 'Back to the indicator',

  tokensLink: 'API tokens',
  tokensTitle: 'Personal API tokens',
  tokensHelp:
    'A token lets a script or spreadsheet use the API as you, with at most your rights. Send it as "Authorization: Bearer <token>".',
  tokenName: 'Token name',
  tokenRole: 'Role',
  tokenGrant: (role: string, initiative: string | null) => (initiative === null ? role : `${role} in ${initiative}`),
  createToken: 'Create token',
  newTokenLabel: 'Your new token',
  newTokenHelp: 'Copy it now: it is shown only this once.',
  noTokens: 'You have no tokens.',
  revoke: 'Revoke',
  revokeToken: (name: string) => `Revoke ${name}`,
  tokenRevoked: 'The token is revoked.',
  tokenNameProblem: 'Enter a name (up to 300 characters).',
  tokenRoleProblem: 'Choose one of the roles offered.',
  created: 'Created',
  lastUsed: 'Last used',
  never: 'never',

  reviewTitle: 'Review',
  reviewLink: 'Review',
  reviewHelp:
    'Periods submitted for review wait here for an editor: approve them (approved values are locked), or send them back with a reason. Approved periods are published from here.',
  reviewReadOnly:
    'Editors of the initiative review submitted periods: they approve or send them back, then publish them. You can follow them here.',
  reviewTruncated: 'Only the first 1,000 periods are listed.',
  nothingToReview: 'Nothing is waiting for review.',
  waitingForApproval: 'Submitted, waiting for approval',
  nothingSubmitted: 'Nothing is waiting for approval.',
  waitingForPublication: 'Approved, waiting to be published',
  nothingApproved: 'Nothing is waiting to be published.',
  someone: 'someone',
  submittedByOn: (by: string, at: string) => `submitted by ${by} on ${at}`,
  approvedByOn: (by: string, at: string, submitter: string) => `approved by ${by} on ${at} (submitted by ${submitter})`,
  approve: 'Approve',
  publish: 'Publish',
  sendBack: 'Send back',
  reason: 'Reason',
  reasonHint: 'Why it goes back, for whoever entered the data.',
  reasonRequired: 'Say in Reason why the period goes back.',
  fourEyes: 'You submitted this period: someone else must approve it (four eyes).',
  reviewStateChanged: 'This period was moved meanwhile: its state is shown below.',
  reviewForbidden: 'Only an editor of the initiative can do this.',
  reviewDone: (action: string, period: string) =>
    action === 'approve'
      ? `${period} is approved.`
      : action === 'publish'
        ? `${period} is published.`
        : action === 'retract'
          ? `${period} is retracted: the public no longer sees it.`
          : action === 'reopen'
            ? `${period} is reopened: its values can change again.`
            : `${period} was sent back.`,
  changePublished: 'Retract or reopen a period',
  changePublishedHelp:
    'Retract takes a published period off the public view. Reopen makes an approved, published or retracted period a draft again so its values can change; the public goes on seeing what was published until it is published again.',
  changePeriod: 'Period',
  changePeriodOption: (period: string, state: string) => `${period} (${state})`,
  changeReasonHint: 'Why, for the history and for whoever entered the data.',
  retract: 'Retract',
  reopen: 'Reopen',

  publicationHeading: 'Publication',
  publicationHelp:
    'Each period goes from draft to submitted (for review), approved and published. Approved and published values are locked.',
  publicationStates: {
    draft: 'draft',
    submitted: 'submitted',
    approved: 'approved',
    published: 'published',
    retracted: 'retracted',
  } as Record<string, string>,
  noPublication: 'No period has data yet.',
  previewPublic: 'Preview the public view',
  previewNotice:
    'Preview: the chart and values as the public will see them once every period is published, with small counts suppressed. Drafts are included here; the public sees only published periods.',
  submitForReview: 'Submit for review',
  submitPeriod: (period: string) => `Submit ${period}`,
  submit: 'Submit',
  chooseSubmit: 'Tick at least one period to submit.',
  submittedCount: (count: number) =>
    count === 1 ? '1 period was submitted for review.' : `${count} periods were submitted for review.`,

  errorTitle: 'Something is not right',
  notFound: 'This page does not exist, or you may not see it.',
  forbidden: 'You may not do this with your role.',
  badRequest: 'The form could not be read. Go back and try again.',
  csrfRefused: 'This form has expired. Go back, reload the page and try again.',
  serverError: 'Something went wrong on our side. Try again in a moment.',
} as const;
