/*
 * The dashboard's page. It holds no data and no secret: it asks for the admin key, keeps it
 * in the tab's sessionStorage and sends it as a Bearer token on each request for data, so the
 * key never appears in a URL (which servers and proxies log) or in a cookie sent with every
 * request. Paths are relative, so the page works wherever the server is mounted.
 */

/** `GET /dashboard/`: the page. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>Attune dashboard</title>
<link rel="stylesheet" href="app.css">
<script src="chart.js" defer></script>
<script src="app.js" defer></script>
</head>
<body>
<header>
  <h1>Attune</h1>
  <span id="status" role="status"></span>
  <button id="logout" type="button" hidden>Sign out</button>
</header>
<main>
  <form id="login" hidden>
    <h2>Sign in</h2>
    <p>The dashboard needs an API key with the <code>admin</code> role. It is kept in this tab only and sent with each request for data, never in a URL.</p>
    <label for="key">Admin key</label>
    <input id="key" name="key" type="password" autocomplete="current-password" required minlength="16">
    <button type="submit">Open</button>
    <p id="login-error" role="alert"></p>
  </form>
  <div id="panels"></div>
</main>
</body>
</html>
`;
