// The dashboard's HTML shell: a strict Content Security Policy, our stylesheets and one script with a
// per-load nonce, and empty sections the script fills. No data is ever written into this HTML: every
// value reaches the page as a message and becomes DOM text, so nothing a task controls is parsed as markup.

export interface ShellResources {
  /** `webview.cspSource`: the origin our own files are served from. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
}

/**
 * Only our own files: no inline style or script (bar the nonce'd one), no remote anything, images only
 * ours or data: (none today), fonts only ours (the codicon font).
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function dashboardHtml(r: ShellResources): string {
  const a = escapeAttribute;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${a(contentSecurityPolicy(r.cspSource, r.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${a(r.codiconsUri)}">
<link rel="stylesheet" href="${a(r.styleUri)}">
<title>Task Scheduler</title>
</head>
<body>
<main id="app" aria-busy="true">
  <div id="banners"></div>
  <div id="notice" role="status" aria-live="polite"></div>
  <section id="health" aria-label="Health"></section>
  <section id="filters" aria-label="Filters"></section>
  <section aria-labelledby="tasks-title"><h2 id="tasks-title">Tasks</h2><div id="tasks" class="table-wrap"></div></section>
  <section id="members-section" aria-labelledby="members-title" hidden><h2 id="members-title">Members</h2><div id="members"></div></section>
  <section aria-labelledby="timeline-title"><h2 id="timeline-title">Timeline</h2><div id="timeline"></div></section>
  <section aria-labelledby="errors-title"><h2 id="errors-title">Last errors</h2><div id="errors"></div></section>
</main>
<script nonce="${a(r.nonce)}" src="${a(r.scriptUri)}"></script>
</body>
</html>`;
}

/** A nonce for one load of the page: 32 random letters and digits (about 190 bits). */
export function makeNonce(random: (n: number) => Uint8Array): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...random(32)].map((b) => chars[b % chars.length]).join('');
}

/** For values inside double-quoted HTML attributes (the webviews' shells). */
export function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
