/** `GET /dashboard/app.css`: the page's style (a file of its own: the CSP allows no inline style). */
export const DASHBOARD_CSS = `
:root { color-scheme: light; font-family: system-ui, sans-serif; color: #1d2433; background: #f4f6fa; }
body { margin: 0; }
header { display: flex; align-items: center; gap: 1rem; padding: 0.6rem 1.2rem; background: #1d2433; color: #fff; }
header h1 { font-size: 1.1rem; margin: 0; }
#status { flex: 1; font-size: 0.85rem; opacity: 0.85; }
main { padding: 1rem 1.2rem; }
#login { max-width: 28rem; background: #fff; padding: 1rem 1.2rem; border-radius: 8px; }
#login input { width: 100%; box-sizing: border-box; margin: 0.3rem 0 0.8rem; padding: 0.4rem; }
#login-error { color: #a4161a; }
#panels { display: grid; grid-template-columns: repeat(auto-fill, minmax(28rem, 1fr)); gap: 1rem; }
.panel { background: #fff; border-radius: 8px; padding: 0.8rem 1rem; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.08); }
.panel h2 { font-size: 1rem; margin: 0 0 0.2rem; }
.panel .description { font-size: 0.8rem; color: #5b6475; margin: 0 0 0.6rem; }
.panel .error { color: #a4161a; }
.chart { position: relative; height: 220px; }
.totals { display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; margin: 0.6rem 0 0; font-size: 0.85rem; }
.totals div { display: flex; gap: 0.3rem; }
.totals dt { color: #5b6475; }
.totals dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; font-size: 0.85rem; margin-top: 0.6rem; }
th, td { text-align: left; padding: 0.2rem 0.4rem; border-bottom: 1px solid #e3e7ee; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
`;
