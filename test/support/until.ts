/**
 * Waits until `cond` holds, polling every 20 ms; throws after `ms` (a generous bound that only
 * keeps a broken test from hanging, never a timing assertion).
 */
export async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
